//! `tradesecrets config show`.

use super::{
    args::{ConfigArgs, ConfigCommand},
    setup::{load_config, load_rules},
};
use std::io::{self, Write};

pub(super) fn config_cmd(cmd: ConfigCommand) -> anyhow::Result<u8> {
    match cmd {
        ConfigCommand::Show { config, path } => {
            let args = ConfigArgs {
                config,
                no_config: false,
            };
            let config = load_config(&args, &[path])?;
            // Custom rules and disabled ids are checked as a scan would.
            let mut rules = load_rules()?;
            tradesecrets::app::apply_config_rules(&config, &mut rules)?;
            let stdout = io::stdout();
            let mut w = stdout.lock();
            w.write_all(config.to_toml().as_bytes())?;
            w.flush()?;
            Ok(0)
        }
    }
}
