pub fn run(_: &crate::cli::RunsArgs) -> Result<std::process::ExitCode, String> {
    Err("todo".into())
}
