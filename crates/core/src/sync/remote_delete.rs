//! Deleting a recording here and at Twilio, when the user asks for both.

use crate::audit::{audited, Operation};
use crate::error::Result;
use crate::library::{check_deletable, delete_recording};
use crate::session::UserScope;
use crate::twilio::TwilioClient;

/// Deletes the recording at Twilio, then here (file, row, tombstone). Ownership and legal
/// hold are checked here first; if Twilio refuses, nothing is deleted anywhere. A recording
/// Twilio no longer has counts as deleted there.
pub async fn delete_here_and_at_twilio(
    scope: &UserScope,
    client: &TwilioClient,
    id: &str,
    now_ms: i64,
) -> Result<()> {
    let ids = vec![id.to_owned()];
    audited(scope, Operation::DeleteAtTwilio, &ids, now_ms, async {
        let sid = check_deletable(scope, id).await?;
        client.delete_recording(&sid).await?;
        Ok(())
    })
    .await?;
    delete_recording(scope, id, now_ms).await
}
