//! The shared world: twenty users, each with a library of their own (rows, audio, a
//! transcript, an analysis) and another user's planted in it, a Twilio account of their own
//! on a loopback fake, and the desktop's one player, shared by all. Built once and shared
//! by every case: what a case changes of its actors' own data is put back before the next.

use super::*;

pub(crate) const USERS: usize = 20;
/// Recordings each user starts with; the first `WITH_AUDIO` have their audio on disk.
pub(crate) const OWN: u32 = 8;
pub(crate) const WITH_AUDIO: u32 = 3;
/// Recordings each user's Twilio account holds, numbered from `SYNCED_FROM`: in the library
/// once a sync brought them.
pub(crate) const SYNCED: u32 = 3;
pub(crate) const SYNCED_FROM: u32 = 100;

pub(crate) struct World {
    pub(crate) root: PathBuf,
    pub(crate) users: Vec<(Workspace, UserScope)>,
    /// Each user's own Twilio account (a fake of their own) and their client for it.
    pub(crate) twilio: Vec<(FakeTwilio, TwilioClient)>,
    pub(crate) player: PlayerHandle,
    /// The player's states, read as each actor's window would be sent them.
    pub(crate) states: tokio::sync::Mutex<PlayerStates>,
    /// The player's output: a mixer nobody drains, so nothing but a seek moves a position
    /// and a state can be compared exactly before and after a command.
    _output: rodio::mixer::MixerSource,
}

pub(crate) fn subject(u: usize) -> String {
    format!("auth0|tenant-{u:02}")
}

pub(crate) fn small(u: usize) -> u32 {
    u32::try_from(u).expect("a small index")
}

/// Every recording id of user `u` starts with this.
pub(crate) fn prefix(u: usize) -> String {
    format!("RE{:08x}", small(u))
}

pub(crate) async fn build(root: &Path) -> World {
    let data = root.join("data");
    let mut users = Vec::new();
    let mut twilio = Vec::new();
    for u in 0..USERS {
        let (ws, scope) = signed_in(&data, &subject(u)).await;
        seed_own(&scope, u).await;
        plant(&scope, (u + 1) % USERS).await;
        twilio.push(twilio_account(u).await);
        users.push((ws, scope));
    }
    let (mixer, output) = rodio::mixer::mixer(
        std::num::NonZero::new(1).expect("one channel"),
        std::num::NonZero::new(8_000).expect("a rate"),
    );
    let player = PlayerHandle::spawn(OutputChoice::Mixer(mixer)).expect("player");
    let states = tokio::sync::Mutex::new(player.subscribe());
    World {
        root: root.to_path_buf(),
        users,
        twilio,
        player,
        states,
        _output: output,
    }
}

/// User `u`'s Twilio account: their own recordings (none of anyone else's), whose audio is
/// a short WAV.
async fn twilio_account(u: usize) -> (FakeTwilio, TwilioClient) {
    let mut recordings = generate(u64::from(SYNCED), NOW_MS, DAY_MS / 4);
    for (k, r) in recordings.iter_mut().enumerate() {
        r.sid = sid(small(u), SYNCED_FROM + u32::try_from(k).expect("few"));
    }
    let fake = FakeTwilio::start(recordings).await;
    *fake.state.media_body.lock().expect("lock") = Some(tone_wav().to_vec());
    let client = support::client(&fake.base_url);
    (fake, client)
}
