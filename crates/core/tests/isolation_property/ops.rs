//! The commands a case runs, and the strategies that make them: aimed at other users' ids,
//! planted rows, malicious ids, hostile search text and forged cursors.

use super::*;

#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// One of another user's SIDs (which also sits, planted, in the next user's database).
    Foreign(usize, u32),
    /// One of the actor's own.
    Own(u32),
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

pub(crate) fn id_of(t: &Target, world: &World, actor: usize) -> String {
    match t {
        Target::Foreign(v, n) => {
            let victim = if *v % USERS == actor {
                (actor + 1) % USERS
            } else {
                *v % USERS
            };
            sid(u32::try_from(victim).expect("small"), *n)
        }
        Target::Own(n) => sid(u32::try_from(actor).expect("small"), *n),
        Target::Malicious(i) => malicious(*i, world, actor),
    }
}

pub(crate) fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        (0..USERS, 0..OWN).prop_map(|(v, n)| Target::Foreign(v, n)),
        (0..OWN + 2).prop_map(Target::Own),
        (0usize..16).prop_map(Target::Malicious),
    ]
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
        target().prop_map(Op::Get),
        (target(), 0usize..4).prop_map(|(t, p)| Op::Update(t, p)),
        (target(), any::<bool>()).prop_map(|(t, h)| Op::Hold(t, h)),
        target().prop_map(Op::AddNote),
        target().prop_map(Op::ListNotes),
        (0u32..80).prop_map(Op::EditNote),
        (0u32..80).prop_map(Op::DeleteNote),
        target().prop_map(Op::Delete),
        (0usize..5, prop::collection::vec(target(), 1..5)).prop_map(|(a, t)| Op::Bulk(a, t)),
        target().prop_map(Op::Export),
        prop::collection::vec(target(), 1..4).prop_map(Op::ExportMany),
        target().prop_map(Op::SuggestName),
        (hostile_text(), 0usize..3, 0u32..4).prop_map(|(s, b, p)| Op::List(s, b, p)),
        (hostile_text(), 0usize..3, forged_cursor()).prop_map(|(s, b, c)| Op::Slice(s, b, c)),
        hostile_text().prop_map(Op::Count),
        Just(Op::Stats),
        (1u32..800, any::<bool>(), any::<bool>()).prop_map(|(d, r, s)| Op::Preview(d, r, s)),
        (1u32..800, any::<bool>(), any::<bool>()).prop_map(|(d, r, s)| Op::Cleanup(d, r, s)),
        Just(Op::Audit),
    ]
}

pub(crate) fn is_own(t: &Target) -> bool {
    matches!(t, Target::Own(n) if *n < OWN)
}
