//! The student app (Bevy + egui). Being built; see issue 4.
