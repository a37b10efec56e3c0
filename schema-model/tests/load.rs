//! The loader names the file (and the JSON path) of what it refuses, and refuses files
//! that are not `<service>/<version>.json` rather than skipping them.

use serde_json::{Value, json};
use tencent_cloud_schema::{SchemaError, load_dir};

/// The smallest file the loader accepts: it checks shape only, the rules of the format are
/// codegen's.
fn minimal() -> Value {
    json!({
        "service": "bad",
        "version": "2020-01-01",
        "host": "bad.intl.tencentcloudapi.com",
        "actions": []
    })
}

#[test]
fn load_dir_names_the_file_and_refuses_misplaced_files() {
    let dir = std::env::temp_dir().join(format!("schema-load-{}", std::process::id()));
    let service_dir = dir.join("schema/bad");
    std::fs::create_dir_all(&service_dir).unwrap();
    let mut value = minimal();
    value["host"] = json!(1);
    std::fs::write(service_dir.join("2020-01-01.json"), value.to_string()).unwrap();
    let err = load_dir(&dir.join("schema")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("schema/bad/2020-01-01.json: host: invalid type: integer `1`"),
        "{err}"
    );

    std::fs::write(service_dir.join("2020-01-01.json"), minimal().to_string()).unwrap();
    let loaded = load_dir(&dir.join("schema")).unwrap();
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].file, "schema/bad/2020-01-01.json");

    std::fs::write(dir.join("schema/stray.json"), "{}").unwrap();
    let err = load_dir(&dir.join("schema")).unwrap_err();
    assert!(matches!(err, SchemaError::Layout { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
