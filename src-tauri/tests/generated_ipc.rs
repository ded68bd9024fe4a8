//! What is generated from the one list of commands (`src-tauri/command_list.rs`) and the
//! commands' own signatures: the window's capability (`src-tauri/capabilities/default.json`)
//! and the UI's typed calls (`ui/src/lib/commands.ts`). The checked-in files must match;
//! `UPDATE_GENERATED=1 cargo test -p econfiance-desktop --test generated_ipc` rewrites them.
//!
//! Why not tauri-specta: it is still a release candidate and builds on specta, while the
//! IPC types are exported by ts-rs; reading the signatures with `syn` needs neither, and the
//! types it names are the ones ts-rs writes to `bindings.ts` (the UI's type check fails on
//! a name that is not there).

use std::path::{Path, PathBuf};

use syn::{FnArg, GenericArgument, Pat, PathArguments, ReturnType, Type};

/// The checkout being tested (see `hardening.rs`).
fn repo() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The plugin permissions the window may use besides the app's commands: listening to the
/// app's events (reviewed in `hardening.rs`). File dialogs run from Rust.
const PLUGIN_PERMISSIONS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

/// Arguments Tauri fills in itself: never sent by the UI.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

/// One entry of the list: its module and function.
struct Entry {
    module: String,
    name: String,
}

/// `command_list.rs`'s entries, in order.
fn entries() -> Vec<Entry> {
    let text = std::fs::read_to_string(repo().join("src-tauri/command_list.rs"))
        .expect("src-tauri/command_list.rs");
    let start = text.find("app_commands![").expect("the app_commands! list") + 14;
    let end = start + text[start..].find(']').expect("the list's end");
    text[start..end]
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            let (module, name) = e.split_once("::").expect("module::function");
            Entry {
                module: module.trim().to_owned(),
                name: name.trim().to_owned(),
            }
        })
        .collect()
}

/// A command as the UI sees it.
struct Command {
    name: String,
    doc: String,
    args: Vec<(String, String)>,
    answer: String,
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The TypeScript type of a Rust type that crosses IPC.
fn ts(ty: &Type) -> String {
    match ty {
        Type::Reference(r) => ts(&r.elem),
        Type::Tuple(t) if t.elems.is_empty() => "void".into(),
        Type::Path(p) => {
            let last = p.path.segments.last().expect("a type name");
            let inner = |i: usize| match &last.arguments {
                PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .nth(i)
                    .map(ts)
                    .expect("a type argument"),
                _ => panic!("{} without its type argument", last.ident),
            };
            match last.ident.to_string().as_str() {
                "String" | "str" => "string".into(),
                "bool" => "boolean".into(),
                "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" | "f64" => "number".into(),
                "Option" => format!("{} | null", inner(0)),
                "Vec" => {
                    let item = inner(0);
                    if item.contains(' ') {
                        format!("({item})[]")
                    } else {
                        format!("{item}[]")
                    }
                }
                // The error side is always ErrorBody (the UI's `call` makes sure of it).
                "Result" => inner(0),
                other => other.to_owned(),
            }
        }
        _ => panic!("a type the generator does not know (a path, a reference or ())"),
    }
}

fn is_injected(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())),
        Type::Reference(r) => is_injected(&r.elem),
        _ => false,
    }
}

fn first_doc_line(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads each listed command's signature in its module's file.
fn commands() -> Vec<Command> {
    entries()
        .into_iter()
        .map(|entry| {
            let path = repo().join(format!("src-tauri/{}.rs", entry.module));
            let file = syn::parse_file(&std::fs::read_to_string(&path).expect("module file"))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let function = file
                .items
                .iter()
                .find_map(|item| match item {
                    syn::Item::Fn(f) if f.sig.ident == entry.name => Some(f),
                    _ => None,
                })
                .unwrap_or_else(|| {
                    panic!(
                        "{}::{} is not in {}",
                        entry.module,
                        entry.name,
                        path.display()
                    )
                });
            assert!(
                function.attrs.iter().any(|a| a
                    .path()
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "command")),
                "{}::{} is listed but is not a #[tauri::command]",
                entry.module,
                entry.name
            );
            let args = function
                .sig
                .inputs
                .iter()
                .filter_map(|arg| match arg {
                    FnArg::Typed(t) if !is_injected(&t.ty) => match &*t.pat {
                        Pat::Ident(name) => Some((camel(&name.ident.to_string()), ts(&t.ty))),
                        _ => panic!("an argument that is not a plain name"),
                    },
                    _ => None,
                })
                .collect();
            let answer = match &function.sig.output {
                ReturnType::Default => "void".into(),
                ReturnType::Type(_, ty) => ts(ty),
            };
            Command {
                name: entry.name,
                doc: first_doc_line(&function.attrs),
                args,
                answer,
            }
        })
        .collect()
}

const BUILT_IN: &[&str] = &["string", "boolean", "number", "void", "null"];

fn commands_ts(commands: &[Command]) -> String {
    let mut types: Vec<String> = commands
        .iter()
        .flat_map(|c| {
            c.args
                .iter()
                .map(|(_, t)| t.clone())
                .chain([c.answer.clone()])
        })
        .flat_map(|t| {
            t.split(|c: char| !c.is_alphanumeric() && c != '_')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty() && !BUILT_IN.contains(&t.as_str()))
        .collect();
    types.sort();
    types.dedup();
    let mut out = String::from(
        "// Generated from src-tauri/command_list.rs and the commands' signatures by\n\
         // src-tauri/tests/generated_ipc.rs. Do not edit: run\n\
         // `UPDATE_GENERATED=1 cargo test -p econfiance-desktop --test generated_ipc`.\n",
    );
    out.push_str(&format!(
        "import type {{ {} }} from \"./bindings\";\n\n",
        types.join(", ")
    ));
    out.push_str(
        "/** Sends one IPC command; every failure comes back as an ErrorBody. */\n\
         export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** The app's IPC commands, each a typed call over `invoke`. */\n\
         export function commandsOver(invoke: Invoke) {\n  return {\n",
    );
    for c in commands {
        let params: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let names: Vec<&str> = c.args.iter().map(|(n, _)| n.as_str()).collect();
        let args = if names.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", names.join(", "))
        };
        if !c.doc.is_empty() {
            out.push_str(&format!("    /** {} */\n", c.doc));
        }
        out.push_str(&format!(
            "    {}: ({}) => invoke<{}>(\"{}\"{}),\n",
            camel(&c.name),
            params.join(", "),
            c.answer,
            c.name,
            args
        ));
    }
    out.push_str("  };\n}\n\n/** The app's IPC commands, as the UI calls them. */\nexport type Commands = ReturnType<typeof commandsOver>;\n");
    out
}

fn capability_json(commands: &[Command]) -> String {
    let permissions: Vec<String> = PLUGIN_PERMISSIONS
        .iter()
        .map(|p| (*p).to_owned())
        .chain(
            commands
                .iter()
                .map(|c| format!("allow-{}", c.name.replace('_', "-"))),
        )
        .collect();
    let capability = serde_json::json!({
        "identifier": "default",
        "description": "The main window: the app's own commands (generated from src-tauri/command_list.rs) and listening to its events, nothing else.",
        "windows": ["main"],
        "permissions": permissions,
    });
    let mut text = serde_json::to_string_pretty(&capability).expect("json");
    text.push('\n');
    text
}

/// Compares `generated` with the checked-in file, or rewrites it with `UPDATE_GENERATED=1`.
fn check(path: &Path, generated: &str) {
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(path, generated).expect("write");
        return;
    }
    let committed = std::fs::read_to_string(path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(
        committed == generated,
        "{} is stale: run `UPDATE_GENERATED=1 cargo test -p econfiance-desktop --test generated_ipc`",
        path.display()
    );
}

#[test]
fn the_uis_typed_calls_are_generated_from_the_commands() {
    let commands = commands();
    assert!(commands.len() > 10, "the list is read");
    check(
        &repo().join("ui/src/lib/commands.ts"),
        &commands_ts(&commands),
    );
}

#[test]
fn the_capability_grants_exactly_the_listed_commands() {
    check(
        &repo().join("src-tauri/capabilities/default.json"),
        &capability_json(&commands()),
    );
}

#[test]
fn rust_types_become_the_typescript_the_ui_checks() {
    let ty = |s: &str| syn::parse_str::<Type>(s).expect("a type");
    assert_eq!(
        ts(&ty("Result<Option<SessionView>, ErrorBody>")),
        "SessionView | null"
    );
    assert_eq!(ts(&ty("Vec<Option<String>>")), "(string | null)[]");
    assert_eq!(ts(&ty("Result<(), ErrorBody>")), "void");
    assert_eq!(ts(&ty("&str")), "string");
    assert_eq!(ts(&ty("usize")), "number");
    assert!(is_injected(&ty("State<'_, AppState>")));
    assert!(is_injected(&ty("tauri::AppHandle<R>")));
    assert!(!is_injected(&ty("String")));
    assert_eq!(camel("sign_out"), "signOut");
}
