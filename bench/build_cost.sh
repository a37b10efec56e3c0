#!/usr/bin/env bash
# The build cost of a small application using one service (BENCHMARKS.md, "Build cost of
# one service"): for edgezone, cvm, vpc and csip through `tencent-cloud`, and for
# aws-sdk-ec2 as the baseline, a binary that calls one operation is built from nothing
# (a fresh target directory, dependencies included, registry cache warm), then rebuilt
# after touching its main.rs; then the service crate alone is cleaned and built again, and
# its docs are built as docs.rs would. Prints Markdown tables. Never run by CI.
#
#   bash bench/build_cost.sh [app ...]     apps: edgezone cvm vpc csip ec2 (default: all)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$root/target/build-cost"
apps=("$@")
[ ${#apps[@]} -eq 0 ] && apps=(edgezone cvm vpc csip ec2)

tc_app() { # service module version call
    cat <<RS
use tencent_cloud::$1::$2::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = tencent_cloud::Config::builder()
        .region("ap-singapore")
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .expect("config");
    let result = Client::new(&config).$3().send().await;
    println!("{}", result.is_ok());
}
RS
}

write_app() { # name
    local dir="$scratch/$1"
    mkdir -p "$dir/src"
    if [ "$1" = ec2 ]; then
        cat > "$dir/Cargo.toml" <<TOML
[package]
name = "app-ec2"
version = "0.0.0"
edition = "2024"
[workspace]
[dependencies]
aws-sdk-ec2 = "1"
tokio = { version = "1", features = ["rt", "macros"] }
TOML
        cat > "$dir/src/main.rs" <<'RS'
use aws_sdk_ec2::config::{BehaviorVersion, Region};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .build();
    let result = aws_sdk_ec2::Client::from_conf(config).describe_instances().send().await;
    println!("{}", result.is_ok());
}
RS
    else
        cat > "$dir/Cargo.toml" <<TOML
[package]
name = "app-$1"
version = "0.0.0"
edition = "2024"
[workspace]
[dependencies]
tencent-cloud = { path = "$root/sdk", features = ["$1"] }
tokio = { version = "1", features = ["rt", "macros"] }
TOML
        case "$1" in
            edgezone) tc_app edgezone v20260401 describe_zones ;;
            cvm) tc_app cvm v20170312 describe_instances ;;
            vpc) tc_app vpc v20170312 describe_vpcs ;;
            csip) tc_app csip v20221121 describe_ai_agent_asset_list ;;
        esac > "$dir/src/main.rs"
    fi
}

# As a crate from crates.io is built: never incrementally. Cargo builds path dependencies
# (the service crates here) incrementally by default, registry ones (aws-sdk-ec2) not, and
# the incremental caches cost a large crate about half as much again.
export CARGO_INCREMENTAL=0

measure() { # name what cargo-args... -> "wall_s cpu_s rss_mib"
    local name=$1 what=$2; shift 2
    local log="$scratch/$name/$what.time"
    (cd "$scratch/$name" && CARGO_TARGET_DIR="$scratch/$name/target" /usr/bin/time -v \
        cargo "$@" 2> "$log" >/dev/null) || { cat "$log" >&2; exit 1; }
    local wall cpu rss
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.0f", s }' "$log")
    rss=$(grep 'Maximum resident set size' "$log" | awk '{printf "%.0f", $NF / 1024}')
    echo "$wall $cpu $rss"
}

operations() { # name
    if [ "$1" = ec2 ]; then
        local src
        src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/aws-sdk-ec2-1.* | sort -V | tail -n 1)
        find "$src/src/operation" -mindepth 1 -maxdepth 1 -type d | wc -l
    else
        grep -E "^\| \`$1\` " "$root/SERVICES.md" | awk -F'|' '{gsub(/ /, "", $5); print $5}'
    fi
}

crate_of() { [ "$1" = ec2 ] && echo aws-sdk-ec2 || echo "tencent-cloud-$1"; }

echo "| app | operations | clean build, wall (s) | clean build, CPU (s) | peak RSS (MiB) | binary (MiB) | rebuild after touching main.rs (s) | the service crate alone, wall / CPU (s) | its peak RSS (MiB) | CPU per operation (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
docs=()
for app in "${apps[@]}"; do
    rm -rf "$scratch/$app"
    write_app "$app"
    crate=$(crate_of "$app")
    read -r clean cpu rss <<< "$(measure "$app" clean build --quiet)"
    binary=$(stat -c %s "$scratch/$app/target/debug/app-$app" | awk '{printf "%.1f", $1 / 1048576}')
    ops=$(operations "$app")
    touch "$scratch/$app/src/main.rs"
    read -r rebuild _ _ <<< "$(measure "$app" rebuild build --quiet)"
    # The service crate alone: cleaned and built again, with everything else built
    # (CPU time is what the machine's other load inflates least).
    (cd "$scratch/$app" && CARGO_TARGET_DIR="$scratch/$app/target" cargo clean --quiet -p "$crate")
    read -r own_wall own_cpu own_rss <<< "$(measure "$app" service build --quiet)"
    # What docs.rs does for the crate: rustdoc over it, dependencies already checked.
    read -r doc_wall _ doc_rss <<< "$(measure "$app" doc doc --quiet --no-deps -p "$crate")"
    docs+=("| $crate | $doc_wall | $doc_rss |")
    per_op=$(awk -v s="$own_cpu" -v n="$ops" 'BEGIN { printf "%.0f", 1000 * s / n }')
    echo "| $app | $ops | $clean | $cpu | $rss | $binary | $rebuild | $own_wall / $own_cpu | $own_rss | $per_op |"
    rm -rf "$scratch/$app/target"
done
echo
echo "| rustdoc of the crate (\`cargo doc --no-deps\`, after the build) | wall (s) | peak RSS (MiB) |"
echo "|---|---:|---:|"
printf '%s\n' "${docs[@]}"
