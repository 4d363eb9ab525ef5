//! Command-line arguments, parsed by clap into typed commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Tandem: understand and navigate dependence in your relationships.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Where Tandem keeps its data [default: $XDG_DATA_HOME/tandem].
    #[arg(long, global = true, env = "TANDEM_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Where the store is: `sqlite` (in the data dir), sqlite://FOLDER or
    /// postgres://USER@HOST/DATABASE [default: sqlite].
    #[arg(long, global = true, env = "TANDEM_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,

    /// Config file [default: $XDG_CONFIG_HOME/tandem/config.toml].
    #[arg(long, global = true, env = "TANDEM_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Exit codes, shown under `--help`.
pub const EXIT_CODES: &str = "Exit codes: 0 done; 1 failure (storage, files); 2 wrong usage; \
3 bad input (a file or value that does not fit); 4 not found.";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app.
    Serve(ServeArgs),
    /// Take an instrument, one question at a time, or from an answers file.
    Assess(AssessArgs),
    /// The weekly check-in (the same as `assess checkin`).
    Checkin(CheckinArgs),
    /// Your results: facets, indices, profile and change over time.
    Report(ReportArgs),
    /// Psychometrics of many responses: reliability, item statistics, EFA, omega.
    Analyze(AnalyzeArgs),
    /// Your action plan: what to work on, and its status.
    Plan(PlanArgs),
    /// Your exercises: needs statements, boundary plans, own-life plans, goals, journal…
    #[command(subcommand)]
    Exercises(ExercisesCommand),
    /// Print a commented configuration file with every setting.
    DefaultConfig,
    /// Store administration: backups, restore, copying to PostgreSQL, key rotation.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Everything you have taken, oldest first.
    History(JsonFlag),
    /// The people you lean on, and how the load is spread.
    #[command(subcommand)]
    Network(NetworkCommand),
    /// The people you answer about: your partner, family, friends…
    #[command(subcommand)]
    Relationships(RelationshipsCommand),
    /// The instruments Tandem knows.
    #[command(subcommand)]
    Instruments(InstrumentsCommand),
    /// Your kept safety checks: list them, or delete one for good.
    #[command(subcommand)]
    Safety(SafetyCommand),
    /// Whether your answers may be used for research (off unless you turn it on).
    Research(ResearchArgs),
}

/// `relationships` subcommands.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Roles: partner, parent, child, sibling, other_family (or family), friend, colleague, other.\n\
Example: tandem relationships add Sam --role friend"
)]
pub enum RelationshipsCommand {
    /// Your relationships, with the ids other commands take.
    List(JsonFlag),
    /// Add someone you answer about, with what they are to you.
    Add {
        /// Their name or a nickname (kept encrypted); one you do not use yet.
        name: String,
        /// What they are to you.
        #[arg(long)]
        role: String,
    },
    /// Change what someone is to you.
    Role {
        /// The relationship's id, as `list` shows it.
        id: i64,
        /// The new role.
        role: String,
    },
}

/// `safety` subcommands.
#[derive(Debug, Subcommand)]
pub enum SafetyCommand {
    /// The safety checks kept on this device (dates only).
    List(JsonFlag),
    /// Delete a kept safety check and its answers, for good.
    Delete {
        /// The check's id, as `tandem safety list` shows it.
        id: i64,
    },
}

/// Arguments of `research`.
#[derive(Debug, Args)]
pub struct ResearchArgs {
    /// `on` lets your first profile of each version count, de-identified, in
    /// this deployment's reliability estimates and research analyses; `off`
    /// takes that back. Without it, shows where you stand.
    #[arg(value_enum)]
    pub choice: Option<OnOff>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// A yes-or-no setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    /// Turn it on.
    On,
    /// Turn it off.
    Off,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "TANDEM_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// Cookies Secure with the __Host- prefix: auto (on unless plainly on
    /// loopback over http), on, or off [default: auto].
    #[arg(long, env = "TANDEM_SECURE_COOKIES", value_name = "auto|on|off", value_parser = parse_secure_cookies)]
    pub secure_cookies: Option<tandem_web::address::SecureCookies>,
    /// The address people use to reach Tandem, such as `https://tandem.example.org`.
    #[arg(long, env = "TANDEM_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Reverse proxies whose X-Forwarded-For is believed: addresses or
    /// networks, separated by commas.
    #[arg(long, env = "TANDEM_TRUSTED_PROXIES", value_name = "ADDRS")]
    pub trusted_proxies: Option<String>,
    /// Where the quick exit leads [default: a weather site].
    #[arg(long, env = "TANDEM_EXIT_URL", value_name = "URL")]
    pub exit_url: Option<String>,
    /// Whether counsellors must sign in with a passkey: required or
    /// optional [default: required].
    #[arg(long, env = "TANDEM_COUNSELLOR_SECOND_FACTOR", value_name = "required|optional", value_parser = parse_second_factor)]
    pub counsellor_second_factor: Option<tandem_web::SecondFactor>,
}

fn parse_second_factor(text: &str) -> Result<tandem_web::SecondFactor, String> {
    text.parse()
}

/// Which built-in instrument to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InstrumentChoice {
    /// The Relationship Dependence Profile.
    Rdp,
    /// The weekly check-in.
    Checkin,
    /// The safety screen.
    Safety,
}

impl InstrumentChoice {
    /// The instrument id.
    pub fn id(self) -> &'static str {
        match self {
            Self::Rdp => "rdp",
            Self::Checkin => "checkin",
            Self::Safety => "safety",
        }
    }
}

/// Arguments of `assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The instrument to take.
    #[arg(value_enum, default_value = "rdp")]
    pub instrument: InstrumentChoice,
    /// Take the answers from a JSON file (item id → number, or text for text items).
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub answers: Option<PathBuf>,
    /// Continue the last unfinished administration where it stopped.
    #[arg(long)]
    pub resume: bool,
    /// Whom the questions are about, such as "my mother" or "Sam".
    #[arg(long, default_value = "my partner", value_name = "WHO")]
    pub about: String,
    /// Safety screen only: do not store the answers at all.
    #[arg(long)]
    pub no_store: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `checkin`.
#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// Take the answers from a JSON file.
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub answers: Option<PathBuf>,
    /// Continue the last unfinished check-in.
    #[arg(long)]
    pub resume: bool,
    /// Whom the check-in is about.
    #[arg(long, default_value = "my partner", value_name = "WHO")]
    pub about: String,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Report on this administration instead of the latest.
    #[arg(long, value_name = "ID", conflicts_with = "relationship")]
    pub administration: Option<i64>,
    /// Report on the latest profile about this relationship (its id, as
    /// `tandem relationships list` shows it).
    #[arg(long, value_name = "ID", conflicts_with = "html")]
    pub relationship: Option<i64>,
    /// Print JSON instead of text.
    #[arg(long, conflicts_with = "html")]
    pub json: bool,
    /// Write a printable HTML report (profile, charts, change, support map, plan) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Arguments of `analyze`.
#[derive(Debug, Args)]
#[command(
    after_help = "Input: CSV, one row per administration, one column per item (header = item ids), \
blanks as missing. Several files, or a directory of .csv files, are read and merged exactly."
)]
pub struct AnalyzeArgs {
    /// CSV files or directories.
    #[arg(value_name = "FILE", required_unless_present = "from_store")]
    pub files: Vec<PathBuf>,
    /// Take keys, facets and the scale from an instrument (such as rdp).
    #[arg(long, value_name = "ID")]
    pub instrument: Option<String>,
    /// Analyse these columns only (comma-separated item ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,…")]
    pub items: Vec<String>,
    /// Reverse-key these items on the scale (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,…")]
    pub reverse: Vec<String>,
    /// The response scale, such as 1..5 (default: the instrument's, or what the data show).
    #[arg(long, value_name = "MIN..MAX")]
    pub scale: Option<String>,
    /// Number of factors for EFA and omega (default: parallel analysis decides).
    #[arg(long, value_name = "N")]
    pub factors: Option<usize>,
    /// Run parallel analysis even when --factors is given (it runs anyway
    /// without --factors, since it then decides the number).
    #[arg(long)]
    pub parallel: bool,
    /// Missing values: pairwise or listwise.
    #[arg(long, default_value = "pairwise")]
    pub missing: String,
    /// Seed for parallel analysis.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Analyse the finished administrations in the store, de-identified (needs --instrument).
    #[arg(long, requires = "instrument")]
    pub from_store: bool,
    /// Write an HTML report with a scree/parallel-analysis plot and a loadings heat map.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Change an item's status.
    #[command(subcommand)]
    pub action: Option<PlanAction>,
    /// Show the guide to warning signs of controlling or harmful behaviour.
    #[arg(long)]
    pub signs: bool,
    /// The plan about this relationship (its id, as `tandem relationships
    /// list` shows it); without it, the one your latest profile is about.
    #[arg(long, value_name = "ID")]
    pub relationship: Option<i64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Changes to a plan item, by the id `tandem plan` shows.
#[derive(Debug, Subcommand)]
pub enum PlanAction {
    /// Work on this item.
    Choose {
        /// The item's id.
        id: i64,
    },
    /// Mark an item done.
    Done {
        /// The item's id.
        id: i64,
    },
    /// Put an item aside for now.
    Drop {
        /// The item's id.
        id: i64,
    },
}

/// `exercises` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExercisesCommand {
    /// List what you have written (newest first).
    List {
        /// Only this kind: needs-statement, boundary-plan, own-life, support-growth, goals, self-care, journal.
        #[arg(long)]
        kind: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a new entry: `tandem exercises add needs-statement feeling=tired "situation=calls run late" …`.
    Add {
        /// The kind of exercise.
        kind: String,
        /// FIELD=TEXT pairs (`tandem exercises fields KIND` lists them).
        #[arg(value_name = "FIELD=TEXT")]
        fields: Vec<String>,
    },
    /// The fields an exercise asks for.
    Fields {
        /// The kind of exercise.
        kind: String,
    },
    /// Tick this week on an own-life plan.
    Tick {
        /// The entry's id.
        id: i64,
    },
    /// Delete an entry.
    Delete {
        /// The entry's id.
        id: i64,
    },
}

/// `admin audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every chain: each entry holds the hash of the one before and
    /// hashes to what it says, and no entry is missing. Names the first
    /// entry that does not hold and exits 1; exits 0 when all hold.
    Verify {
        /// Print what was checked as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `admin` subcommands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Write a checked snapshot of the whole store to FILE (it must not
    /// exist). SQLite: a copy of tandem.db (VACUUM INTO), integrity-checked.
    /// PostgreSQL: a pg_dump archive (custom format, one consistent
    /// snapshot), read back with pg_restore --list; needs pg_dump on the PATH.
    Backup {
        /// Where to write the backup.
        file: PathBuf,
    },
    /// Make a new server key and re-wrap every person's data key with it.
    RotateKey,
    /// Approve the counsellor account NAME, so it can take clients' codes.
    /// Check who the person is first: an approved counsellor sees what
    /// clients choose to share with them.
    ApproveCounsellor {
        /// The counsellor's user name.
        name: String,
    },
    /// The audit log: each person's hash chain of reads by others, grants,
    /// links and sign-ins, and the operator's chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Copy the whole store into an empty PostgreSQL database, ids, ciphertext
    /// and wrapped keys as they are (the same server key opens them); every
    /// table's count and SHA-256 digest are read back and compared before
    /// the copy is committed. A target that holds anything is refused and
    /// left as it was.
    #[command(
        after_help = "Stop `tandem serve` first: what is written after the copy began is not in it. \
The target uses the same server key: the key file in the data dir, or TANDEM_KEY. \
Then point Tandem at the target (--database, TANDEM_DATABASE_URL or database_url)."
    )]
    CopyStore {
        /// The PostgreSQL database: postgres://USER@HOST/DATABASE.
        #[arg(long, value_name = "URL")]
        to: String,
        /// Print the tables' counts and digests as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Restore a SQLite backup (from `tandem admin backup`) into the store,
    /// which must be empty (either engine): the backup is integrity-checked
    /// first and copied like `copy-store`, every table checked.
    #[command(
        after_help = "The backup opens only with the server key it was made with: put its \
secret.key in the data dir (or set TANDEM_KEY) before restoring. A pg_dump archive (a PostgreSQL \
store's backup) is restored with pg_restore into a new, empty database instead; this command says how."
    )]
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Print the tables' counts and digests as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Just `--json`.
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `network` subcommands.
#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Add a person, with how much you lean on them and they on you.
    Add(NetworkAdd),
    /// List the people on your map.
    List(JsonFlag),
    /// The map's metrics and flags.
    Show(JsonFlag),
    /// Remove a person by the id `list` shows.
    Remove {
        /// The person's id.
        id: i64,
    },
}

/// Arguments of `network add`.
#[derive(Debug, Args)]
#[command(
    after_help = "Domains: emotional, validation, decisions, money, practical, company. \
Levels run from 0 (not at all) to 4 (a great deal).\n\
Example: tandem network add Sam --role friend --lean emotional=3 --lean company=4 --back emotional=2"
)]
pub struct NetworkAdd {
    /// Their name or a nickname (kept encrypted).
    pub name: String,
    /// partner, friend, family, colleague, professional, group or myself.
    #[arg(long)]
    pub role: String,
    /// How much you lean on them in a domain: DOMAIN=LEVEL (repeatable).
    #[arg(long = "lean", value_name = "DOMAIN=LEVEL")]
    pub lean: Vec<String>,
    /// How much they lean on you in a domain: DOMAIN=LEVEL (repeatable).
    #[arg(long = "back", value_name = "DOMAIN=LEVEL")]
    pub back: Vec<String>,
    /// Print the new person as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `instruments` subcommands.
#[derive(Debug, Subcommand)]
pub enum InstrumentsCommand {
    /// List the built-in instruments.
    List(JsonFlag),
    /// Show one instrument: items, facets, indices.
    Show {
        /// The instrument id.
        id: String,
        /// An earlier version, such as 1.0.0 (default: the current one).
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check an instrument definition file and report every problem.
    Validate {
        /// The TOML file.
        file: PathBuf,
    },
}

fn parse_secure_cookies(text: &str) -> Result<tandem_web::address::SecureCookies, String> {
    text.parse()
        .map_err(|err: tandem_web::address::AddressError| err.message)
}
