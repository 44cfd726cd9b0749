//! The one integration-test crate (one binary to link): a module per area.

mod common;

mod cli;
mod courseware;
mod courseware_coldcall;
mod courseware_complaint;
mod courseware_p1t1;
mod courseware_p1t2;
mod courseware_p1t3;
mod courseware_p2t1;
mod courseware_p2t2;
mod courseware_p4t1;
mod courseware_p3t1;
mod courseware_p3t2;
mod courseware_p4t2;
mod courseware_standards;
mod dial;
mod diagnostics;
mod docs;
mod fuzz;
mod hostile;
mod golden;
mod grading;
mod hostile_files;
mod map;
mod marking;
mod grades_overview;
mod records;
mod roster_export;
mod runner;
mod say;
mod tamper;
mod hostile_corpus;
mod sheet;
mod lrs;
mod group;

#[cfg(feature = "gui")]
mod app_harness;
#[cfg(feature = "gui")]
mod app;
#[cfg(feature = "gui")]
mod app_gui;
#[cfg(feature = "gui")]
mod app_teacher;
#[cfg(feature = "gui")]
mod app_authoring;
#[cfg(feature = "gui")]
mod app_lock;
#[cfg(feature = "gui")]
mod app_sound;
