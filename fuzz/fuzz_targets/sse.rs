#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tencent_cloud_fuzz_targets::sse(data));
