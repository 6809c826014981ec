//! The command list (commands/list.rs) against the commands written in commands/*.rs, both
//! ways: a `#[tauri::command]` left out of the list would never be registered nor permitted
//! (the UI would get an error at run time), and a listed name must be a real command.

use std::collections::BTreeSet;
use std::path::Path;

include!("commands/list.rs");

macro_rules! listed_pairs {
    ($($module:ident :: $name:ident),* $(,)?) => {
        &[$((stringify!($module), stringify!($name))),*]
    };
}

/// Every listed command as (module, function).
const LISTED: &[(&str, &str)] = command_list!(listed_pairs);

/// A command as the list names it: `module::function`.
type Command = String;

/// The commands a file of commands/ defines: each function under a `#[tauri::command]`.
fn commands_in(module: &str, source: &str) -> Vec<Command> {
    source
        .split("#[tauri::command")
        .skip(1)
        .filter_map(|after| {
            let rest = &after[after.find("fn ")? + 3..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then(|| format!("{module}::{name}"))
        })
        .collect()
}

/// What is wrong between the list and the written commands, one sentence each.
fn mismatches(listed: &[Command], written: &[Command]) -> Vec<String> {
    let listed_set: BTreeSet<&Command> = listed.iter().collect();
    let written_set: BTreeSet<&Command> = written.iter().collect();
    let mut problems: Vec<String> = written_set
        .difference(&listed_set)
        .map(|c| format!("{c} is a #[tauri::command] but is missing from commands/list.rs"))
        .collect();
    problems.extend(
        listed_set
            .difference(&written_set)
            .map(|c| format!("{c} is in commands/list.rs but is no #[tauri::command]")),
    );
    let mut seen = BTreeSet::new();
    problems.extend(
        listed
            .iter()
            .filter(|c| !seen.insert(*c))
            .map(|c| format!("{c} is listed twice in commands/list.rs")),
    );
    problems
}

/// The commands written in the real commands/ folder (one module per file).
fn written_commands(dir: &Path) -> Vec<Command> {
    let mut written = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read commands/") {
        let path = entry.expect("a file of commands/").path();
        let module = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a file name")
            .to_string();
        if path.extension().is_some_and(|e| e == "rs") && module != "list" {
            let source = std::fs::read_to_string(&path).expect("read a command file");
            written.extend(commands_in(&module, &source));
        }
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(names: &[&str]) -> Vec<Command> {
        names.iter().map(|n| n.to_string()).collect()
    }

    const NOTES: &str = r#"
#[tauri::command]
#[specta::specta]
pub async fn list_notes(state: State<'_, AppState>) -> Result<Vec<Note>, ApiError> {
    todo_free()
}

/// A helper, not a command.
fn todo_free() {}

#[tauri::command(rename_all = "snake_case")]
#[specta::specta]
pub fn add_note(text: String) -> Result<(), ApiError> {
    Ok(())
}
"#;

    #[test]
    fn finds_each_command_of_a_file_and_no_helper() {
        assert_eq!(
            commands_in("notes", NOTES),
            listed(&["notes::list_notes", "notes::add_note"]),
            "both attributed functions, the helper left out"
        );
    }

    #[test]
    fn a_command_written_but_not_listed_fails() {
        let problems = mismatches(
            &listed(&["notes::list_notes"]),
            &commands_in("notes", NOTES),
        );
        assert_eq!(
            problems,
            vec!["notes::add_note is a #[tauri::command] but is missing from commands/list.rs"],
            "the unlisted command is named"
        );
    }

    #[test]
    fn a_listed_command_that_does_not_exist_fails() {
        let problems = mismatches(
            &listed(&["notes::list_notes", "notes::add_note", "notes::pin_note"]),
            &commands_in("notes", NOTES),
        );
        assert_eq!(
            problems,
            vec!["notes::pin_note is in commands/list.rs but is no #[tauri::command]"],
            "the listed name that is no command is named"
        );
    }

    #[test]
    fn a_command_listed_under_another_module_fails_both_ways() {
        let problems = mismatches(
            &listed(&["library::list_notes", "notes::add_note"]),
            &commands_in("notes", NOTES),
        );
        assert_eq!(
            problems.len(),
            2,
            "written-not-listed and listed-not-written: {problems:?}"
        );
    }

    #[test]
    fn a_command_listed_twice_fails() {
        let problems = mismatches(
            &listed(&["notes::list_notes", "notes::add_note", "notes::add_note"]),
            &commands_in("notes", NOTES),
        );
        assert_eq!(
            problems,
            vec!["notes::add_note is listed twice in commands/list.rs"]
        );
    }

    #[test]
    fn the_list_names_exactly_the_commands_written_in_commands() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/commands");
        let written = written_commands(&dir);
        assert!(
            written.len() > 40,
            "the command files were read: {written:?}"
        );
        let listed: Vec<Command> = LISTED.iter().map(|(m, n)| format!("{m}::{n}")).collect();
        let problems = mismatches(&listed, &written);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
