// The official Node.js SDK client of `cargo xtask bench e2e`.
//
// usage: node node_client.js <port> <warm-up calls> <calls> <concurrency>
//
// tencentcloud-sdk-nodejs has no edgezone client (checked in 4.1.313), so this uses the
// package's CommonClient: the AbstractClient every generated Node client extends, called with
// the action name, which is what their generated methods do. It takes the signed service name
// from the endpoint's first label ("127" here); that changes no work. `concurrency` async
// loops share one client and one keep-alive agent. Prints the one JSON line every bench client
// prints (see xtask/src/bench.rs).

const http = require("http");
const { CommonClient } = require("tencentcloud-sdk-nodejs/tencentcloud/common");

const [port, warmUp, calls, concurrency] = process.argv.slice(2, 6).map(Number);

const client = new CommonClient(`127.0.0.1:${port}`, "2026-04-01", {
  credential: {
    secretId: "AKIDbenchbenchbenchbenchbenchbench",
    secretKey: "benchbenchbenchbenchbenchbench00",
  },
  region: "ap-singapore",
  profile: {
    httpProfile: {
      protocol: "http://",
      endpoint: `127.0.0.1:${port}`,
      agent: new http.Agent({ keepAlive: true }),
    },
  },
});

function call() {
  return client.request("ReleasePublicIp", {
    NetworkInstanceId: "epn-dfghjkl",
    Type: "ipv4",
    IpList: ["226.10.12.3", "226.10.12.4"],
  });
}

// Makes `total` calls from `concurrency` loops; resolves to each call's latency in ns.
async function drive(total) {
  let next = 0;
  const latencies = [];
  async function loop() {
    while (next++ < total) {
      const start = process.hrtime.bigint();
      await call();
      latencies.push(Number(process.hrtime.bigint() - start));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  return latencies;
}

function cpuSeconds() {
  const usage = process.resourceUsage();
  return (usage.userCPUTime + usage.systemCPUTime) / 1e6;
}

// Nearest rank, as the other bench clients compute it.
function percentileMs(sorted, quantile) {
  const rank = Math.min(Math.max(Math.ceil(quantile * sorted.length), 1), sorted.length);
  return sorted[rank - 1] / 1e6;
}

async function main() {
  await drive(warmUp);
  const cpuBefore = cpuSeconds();
  const start = process.hrtime.bigint();
  const latencies = await drive(calls);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = cpuSeconds() - cpuBefore;
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({
    calls: latencies.length,
    seconds,
    p50_ms: percentileMs(latencies, 0.5),
    p99_ms: percentileMs(latencies, 0.99),
    cpu_seconds: cpu,
    max_rss_kib: process.resourceUsage().maxRSS,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
