//! Who is working: the login name, the default annotator name.

/// The login name from the environment (`USER`, `USERNAME`, `LOGNAME`), or `annotator`.
pub fn login_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "annotator".to_string())
}
