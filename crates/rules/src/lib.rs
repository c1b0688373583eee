//! placeholder: see DESIGN.md §3
