//! The player as each user sees it, and what a command may do to it: only its owner (the
//! user whose recording it holds) can steer it; anyone else's command answers `not_found`
//! and leaves it exactly as it was; no user ever sees, or is sent, another's recording.

use super::*;

/// What a user sees of the player: everything a command could change.
pub(crate) type View = (
    Option<String>,
    PlaybackStatus,
    u32,
    u32,
    u32,
    u32,
    Option<ErrorCode>,
);

fn view(state: &PlayerState) -> View {
    (
        state.recording_id.clone(),
        state.status,
        state.position_ms,
        state.duration_ms,
        state.volume.to_bits(),
        state.speed.to_bits(),
        state.error.as_ref().map(|e| e.code),
    )
}

/// Every user's view, and whose playback the player holds: the one user whose view differs
/// from what all the others see (none when all see the same idle player).
pub(crate) fn observe(world: &World) -> Result<(Vec<View>, Option<usize>), TestCaseError> {
    let views: Vec<View> = world
        .users
        .iter()
        .map(|(_, scope)| view(&world.player.state_for(scope)))
        .collect();
    // What everyone but an owner sees: the most common view.
    let count = |v: &View| views.iter().filter(|o| *o == v).count();
    let idle = views.iter().max_by_key(|v| count(v)).cloned();
    let apart: Vec<usize> = (0..views.len())
        .filter(|&u| Some(&views[u]) != idle.as_ref())
        .collect();
    prop_assert!(
        apart.len() <= 1,
        "more than one user sees a playback: {:?}",
        views
    );
    let owner = apart.first().copied();
    for (u, v) in views.iter().enumerate() {
        if let Some(id) = &v.0 {
            prop_assert!(
                id.starts_with(&prefix(u)),
                "user {u} sees another user's recording {id}"
            );
        }
        if Some(u) != owner {
            prop_assert!(
                v.0.is_none(),
                "user {u} sees a recording that is not theirs: {v:?}"
            );
        }
    }
    Ok((views, owner))
}

fn is_player_control(op: &Op) -> bool {
    matches!(
        op,
        Op::Pause | Op::Resume | Op::Stop | Op::Seek(_) | Op::Skip(_)
    )
}

fn is_level(op: &Op) -> bool {
    matches!(op, Op::Volume(_) | Op::Speed(_))
}

/// Checks what `op` by `actor` answered and did to the player, given the views before.
pub(crate) fn check(
    world: &World,
    actor: usize,
    op: &Op,
    code: Option<ErrorCode>,
    before: &(Vec<View>, Option<usize>),
) -> Result<(), TestCaseError> {
    let (views_before, owner_before) = before;
    let (views_after, owner_after) = observe(world)?;
    let actors = *owner_before == Some(actor);
    let may_change = match op {
        _ if is_player_control(op) => actors,
        _ if is_level(op) => actors || owner_before.is_none(),
        // A play of their own replaces whatever was loaded; one that fails before it reaches
        // the player (missing, not downloaded) changes nothing.
        Op::Play(t) => is_own(t) && matches!(code, None | Some(ErrorCode::AudioUnreadable)),
        _ => false,
    };
    if is_player_control(op) || is_level(op) {
        if may_change {
            prop_assert_eq!(
                code,
                None,
                "{:?} by user {} on their own playback",
                op,
                actor
            );
        } else {
            prop_assert_eq!(
                code,
                Some(ErrorCode::NotFound),
                "{:?} by user {} while user {:?} holds the player must answer not_found",
                op,
                actor,
                owner_before
            );
        }
    }
    if !may_change {
        prop_assert!(
            views_after == *views_before,
            "{:?} by user {} changed the player (held by {:?}): {:?} -> {:?}",
            op,
            actor,
            owner_before,
            views_before,
            views_after
        );
    }
    if matches!(op, Op::Play(_)) && code.is_none() {
        prop_assert_eq!(
            owner_after,
            Some(actor),
            "a play makes the player the actor's"
        );
    }
    Ok(())
}

/// Reads every state sent since the last command, as the actor's window would be sent
/// them: none may name a recording that is not the actor's.
pub(crate) async fn check_stream(world: &World, actor: usize) -> Result<(), TestCaseError> {
    let mut states = world.states.lock().await;
    let workspace = &world.users[actor].0;
    while let Some(Some(state)) = now_or_never(states.next(workspace)).await {
        if let Some(id) = &state.recording_id {
            prop_assert!(
                id.starts_with(&prefix(actor)),
                "user {}'s window was sent another user's recording {}",
                actor,
                id
            );
        }
    }
    Ok(())
}
