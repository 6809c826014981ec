//! The process-wide budgets, one per account: every client of an account (the sync's
//! listing, downloads, streaming playback, a delete) shares its budget, however many
//! clients are made.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::Url;

use super::Budget;

/// The budget of `account` at the API whose base is `api`, with `ceiling` as its ceiling
/// (a changed ceiling applies to everyone sharing it).
pub(crate) fn for_account(api: &Url, account: &str, ceiling: usize) -> Arc<Budget> {
    static BUDGETS: OnceLock<Mutex<HashMap<String, Arc<Budget>>>> = OnceLock::new();
    let key = format!("{} {account}", api.origin().ascii_serialization());
    let mut budgets = BUDGETS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    match budgets.get(&key) {
        Some(budget) => {
            budget.set_ceiling(ceiling);
            Arc::clone(budget)
        }
        None => {
            let budget = Budget::new(ceiling);
            budgets.insert(key, Arc::clone(&budget));
            budget
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn one_budget_per_api_and_account() {
        let api = url("http://127.0.0.1:1/");
        let a = for_account(&api, "AC-registry-a", 8);
        let same = for_account(&url("http://127.0.0.1:1/2010-04-01/x"), "AC-registry-a", 8);
        assert!(Arc::ptr_eq(&a, &same), "the same account shares one budget");
        let other = for_account(&api, "AC-registry-b", 8);
        assert!(!Arc::ptr_eq(&a, &other), "another account has its own");
        let elsewhere = for_account(&url("http://127.0.0.1:2/"), "AC-registry-a", 8);
        assert!(
            !Arc::ptr_eq(&a, &elsewhere),
            "so does the same SID at another API"
        );
        let changed = for_account(&api, "AC-registry-a", 3);
        assert!(Arc::ptr_eq(&a, &changed));
        assert_eq!(
            a.ceiling(),
            3,
            "a new setting reaches every client of the account"
        );
    }
}
