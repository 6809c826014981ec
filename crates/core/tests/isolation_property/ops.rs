//! The commands a case runs, and the strategies that make them: aimed at other users' ids,
//! planted rows, malicious ids, hostile search text and forged cursors.

use super::*;

#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// One of another user's SIDs (which also sits, planted, in the next user's database).
    Foreign(usize, u32),
    /// One of the actor's own.
    Own(u32),
    /// One of the recordings in the actor's Twilio account: theirs once a sync brought it.
    Synced(u32),
    /// One of another user's Twilio recordings.
    ForeignSynced(usize, u32),
    /// Something that is not a SID at all.
    Malicious(usize),
}

#[derive(Debug, Clone)]
pub(crate) enum Op {
    Get(Target),
    Update(Target, usize),
    Hold(Target, bool),
    AddNote(Target),
    ListNotes(Target),
    EditNote(u32),
    DeleteNote(u32),
    Delete(Target),
    Bulk(usize, Vec<Target>),
    Export(Target),
    ExportMany(Vec<Target>),
    SuggestName(Target),
    List(String, usize, u32),
    Slice(String, usize, String),
    Count(String),
    Stats,
    Preview(u32, bool, bool),
    Cleanup(u32, bool, bool),
    Audit,
    // The desktop's one player.
    Play(Target),
    /// Streamed from Twilio: only ever aimed at what is not the actor's (an own one would
    /// go on downloading in the background, into the next command).
    Stream(Target),
    Pause,
    Resume,
    Stop,
    Seek(u32),
    Skip(i64),
    Volume(u8),
    Speed(usize),
    PlayerState,
    // Twilio.
    Sync,
    DownloadNow(Target),
    // The download queue: only ever the actor's own.
    QueuePause(bool),
    QueueRetry,
    QueueStatus,
    // Transcripts, analysis, waveform.
    GetTranscript(Target),
    SaveTranscript(Target),
    AnalyseAudio(Target),
    GetAnalysis(Target),
    Waveform(Target, u32),
}

pub(crate) fn malicious(i: usize, world: &World, actor: usize) -> String {
    let victim = &world.users[(actor + 1) % USERS].1;
    let list = [
        "../x".to_owned(),
        "../../library.db".to_owned(),
        "/etc/passwd".to_owned(),
        victim.paths().database().to_string_lossy().into_owned(),
        victim
            .paths()
            .media_dir()
            .join(format!("{}.wav", sid(0, 0)))
            .to_string_lossy()
            .into_owned(),
        format!("{}\0", &sid(0, 0)[..33]),
        format!("{}/..", sid(0, 0)),
        "RE".repeat(20_000),
        "x".repeat(100_000),
        "RE' OR '1'='1".to_owned(),
        "RE%".to_owned(),
        String::new(),
        "..".to_owned(),
        sid(0, 0).to_lowercase(),
        subject((actor + 1) % USERS),
        format!("{}.wav", sid(0, 0)),
    ];
    list[i % list.len()].clone()
}

/// Another user than the actor.
fn other(v: usize, actor: usize) -> u32 {
    small(if v % USERS == actor {
        (actor + 1) % USERS
    } else {
        v % USERS
    })
}

pub(crate) fn id_of(t: &Target, world: &World, actor: usize) -> String {
    match t {
        Target::Foreign(v, n) => sid(other(*v, actor), *n),
        Target::Own(n) => sid(small(actor), *n),
        Target::Synced(k) => sid(small(actor), SYNCED_FROM + k),
        Target::ForeignSynced(v, k) => sid(other(*v, actor), SYNCED_FROM + k),
        Target::Malicious(i) => malicious(*i, world, actor),
    }
}

pub(crate) fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        3 => (0..USERS, 0..OWN).prop_map(|(v, n)| Target::Foreign(v, n)),
        3 => (0..OWN + 2).prop_map(Target::Own),
        1 => (0..SYNCED).prop_map(Target::Synced),
        1 => (0..USERS, 0..SYNCED).prop_map(|(v, k)| Target::ForeignSynced(v, k)),
        2 => (0usize..16).prop_map(Target::Malicious),
    ]
}

/// Anything but the actor's own.
fn not_own() -> impl Strategy<Value = Target> {
    target().prop_filter("not the actor's", |t| !is_own(t))
}

pub(crate) fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a OR b",
            "NEAR(",
            "NEAR(tenant contact)",
            "*",
            "\"",
            "\"\"",
            "'",
            "%",
            "_",
            "%_%",
            "contact_name:tenant",
            "phone_digits : 555",
            "{contact_name}: x",
            "tenant*",
            "^tenant",
            "'; DELETE FROM recordings; --",
            "\\",
            "555",
            "+1 555",
            "(555) 0",
            "tenant",
            "Tenant 3",
            "planted",
            "secret words",
            "hello",
            "hello tenant",
            "contact",
            "1",
            "55",
            "\0",
            "",
        ])
        .prop_map(str::to_owned),
        ".{0,40}",
    ]
}

pub(crate) fn forged_cursor() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("recorded_at_ms.DESC.9999999999999.99999999".to_owned()),
        Just("recorded_at_ms.DESC.0.0 OR 1=1".to_owned()),
        Just("phone_digits.ASC.d1' OR '1'='1.5".to_owned()),
        Just("duration_secs.ASC.-1.-1".to_owned()),
        Just("recorded_at_ms.DESC.-9223372036854775808.1".to_owned()),
        ".{0,60}",
    ]
}

pub(crate) fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => target().prop_map(Op::Get),
        1 => (target(), 0usize..4).prop_map(|(t, p)| Op::Update(t, p)),
        1 => (target(), any::<bool>()).prop_map(|(t, h)| Op::Hold(t, h)),
        1 => target().prop_map(Op::AddNote),
        1 => target().prop_map(Op::ListNotes),
        1 => (0u32..80).prop_map(Op::EditNote),
        1 => (0u32..80).prop_map(Op::DeleteNote),
        1 => target().prop_map(Op::Delete),
        1 => (0usize..5, prop::collection::vec(target(), 1..5)).prop_map(|(a, t)| Op::Bulk(a, t)),
        1 => target().prop_map(Op::Export),
        1 => prop::collection::vec(target(), 1..4).prop_map(Op::ExportMany),
        1 => target().prop_map(Op::SuggestName),
        1 => (hostile_text(), 0usize..3, 0u32..4).prop_map(|(s, b, p)| Op::List(s, b, p)),
        1 => (hostile_text(), 0usize..3, forged_cursor()).prop_map(|(s, b, c)| Op::Slice(s, b, c)),
        1 => hostile_text().prop_map(Op::Count),
        1 => Just(Op::Stats),
        1 => (1u32..800, any::<bool>(), any::<bool>()).prop_map(|(d, r, s)| Op::Preview(d, r, s)),
        1 => (1u32..800, any::<bool>(), any::<bool>()).prop_map(|(d, r, s)| Op::Cleanup(d, r, s)),
        1 => Just(Op::Audit),
        // The player, often: a case starts with someone's playback loaded.
        3 => target().prop_map(Op::Play),
        1 => not_own().prop_map(Op::Stream),
        2 => Just(Op::Pause),
        1 => Just(Op::Resume),
        1 => Just(Op::Stop),
        // Never to the end: 5 s and 19 skips of at most 0.5 s stay inside the 15 s of audio,
        // since the player notices an end on its own clock, not on a command's.
        2 => (0u32..5_000).prop_map(Op::Seek),
        1 => (-500i64..=500).prop_map(Op::Skip),
        1 => (0u8..=10).prop_map(Op::Volume),
        1 => (0usize..4).prop_map(Op::Speed),
        1 => Just(Op::PlayerState),
        1 => Just(Op::Sync),
        1 => target().prop_map(Op::DownloadNow),
        1 => any::<bool>().prop_map(Op::QueuePause),
        1 => Just(Op::QueueRetry),
        1 => Just(Op::QueueStatus),
        1 => target().prop_map(Op::GetTranscript),
        1 => target().prop_map(Op::SaveTranscript),
        1 => target().prop_map(Op::AnalyseAudio),
        1 => target().prop_map(Op::GetAnalysis),
        1 => (target(), 1u32..64).prop_map(|(t, b)| Op::Waveform(t, b)),
    ]
}

/// The other users a command names: by one of their ids, or (a malicious id) by a path
/// into the next user's folder.
pub(crate) fn named_users(op: &Op, actor: usize) -> BTreeSet<usize> {
    let one = |t: &Target| match t {
        Target::Foreign(v, _) | Target::ForeignSynced(v, _) => Some(other(*v, actor) as usize),
        Target::Malicious(_) => Some((actor + 1) % USERS),
        Target::Own(_) | Target::Synced(_) => None,
    };
    let targets: Vec<&Target> = match op {
        Op::Get(t)
        | Op::Update(t, _)
        | Op::Hold(t, _)
        | Op::AddNote(t)
        | Op::ListNotes(t)
        | Op::Delete(t)
        | Op::Export(t)
        | Op::SuggestName(t)
        | Op::Play(t)
        | Op::Stream(t)
        | Op::DownloadNow(t)
        | Op::GetTranscript(t)
        | Op::SaveTranscript(t)
        | Op::AnalyseAudio(t)
        | Op::GetAnalysis(t)
        | Op::Waveform(t, _) => vec![t],
        Op::Bulk(_, ts) | Op::ExportMany(ts) => ts.iter().collect(),
        _ => Vec::new(),
    };
    targets.into_iter().filter_map(one).collect()
}

/// Whether a target may be the actor's (the synced ones are once a sync brought them);
/// anything else must answer exactly like a missing recording.
pub(crate) fn is_own(t: &Target) -> bool {
    matches!(t, Target::Own(n) if *n < OWN) || matches!(t, Target::Synced(_))
}
