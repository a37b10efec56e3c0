//! The official Python SDK sending GET requests (`reqMethod = "GET"`) to the in-process
//! emulator (issue 13, defect 9): its signature over the query string verifies, its
//! flattened parameters decode by the schema, and a write sent as GET is applied. The
//! scenario is `tests/oracles/get_requests.py`.

mod support;

use tencent_cloud_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_get_requests_are_accepted() {
    let emulator = Emulator::start().await.expect("emulator starts");
    support::python::run_scenario("get_requests.py", emulator.endpoint_host()).await;
    // The emulator saw every request the script made (it prints what each proved).
    let answered = emulator.requests();
    assert!(answered.len() >= 7, "{answered:?}");
    emulator.shutdown().await;
}
