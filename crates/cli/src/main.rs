//! The `tandem` binary: parses arguments, opens the store, runs one command.

mod args;
mod commands;
mod config;
mod database;
mod failure;
mod render;
mod serve;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

use args::{AssessArgs, Cli, Command, InstrumentChoice};
use commands::Session;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server wants every core; a terminal command one thread.
    let mut builder = if matches!(cli.command, Command::Serve(_)) {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            failure::exit_code(&err)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::DefaultConfig = &cli.command {
        print!("{}", config::default_config());
        return Ok(());
    }
    // Instrument commands and file analysis need no store, so they never create one.
    if let Command::Instruments(command) = &cli.command {
        return commands::instruments::run(command);
    }
    if let Command::Analyze(args) = &cli.command
        && !args.from_store
    {
        return commands::analyze::run_files(args);
    }
    let file = config::file_config(cli.config.as_deref())?;
    let data_dir = config::data_dir(cli.data_dir.as_deref(), &file)?;
    let url = cli.database.as_deref().or(file.database_url.as_deref());
    let database = database::Database::choose(url, &data_dir)?;
    if let Command::Serve(args) = &cli.command {
        return serve::run(&database, args, &file).await;
    }
    // Before the local user is made: a copy or a restore must find its
    // target as it was, and a backup needs no one.
    if let Command::Admin(command) = &cli.command {
        return commands::admin::run(command, &database, &file).await;
    }
    let (store, rights) = config::open_store(&database, &file).await?;
    let owner = store.local_user().await?;
    let session = Session {
        store,
        owner,
        research: rights.research,
        resources: config::resources(&file)?,
        published: config::published(&file)?,
    };
    let result = match &cli.command {
        Command::Assess(args) => commands::assess::run(&session, args).await,
        Command::Checkin(args) => {
            let args = AssessArgs {
                instrument: InstrumentChoice::Checkin,
                answers: args.answers.clone(),
                resume: args.resume,
                about: args.about.clone(),
                no_store: false,
                json: args.json,
            };
            commands::assess::run(&session, &args).await
        }
        Command::Report(args) => commands::report::run(&session, args).await,
        Command::History(flag) => commands::history::run(&session, flag.json).await,
        Command::Plan(args) => commands::plan::run(&session, args).await,
        Command::Exercises(command) => commands::exercises::run(&session, command).await,
        Command::Analyze(args) => {
            commands::analyze::run_store(&session.store, &session.research, args).await
        }
        Command::Network(command) => commands::network::run(&session, command).await,
        Command::Relationships(command) => commands::relationships::run(&session, command).await,
        Command::Safety(command) => commands::safety::run(&session, command).await,
        Command::Research(args) => commands::safety::research(&session, args).await,
        Command::Instruments(_)
        | Command::Serve(_)
        | Command::DefaultConfig
        | Command::Admin(_) => Ok(()),
    };
    session.store.close().await;
    result
}
