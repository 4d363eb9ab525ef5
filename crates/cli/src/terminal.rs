//! Asking one item at a time in a terminal (or from piped lines): progress,
//! back, skip and stop. It only talks; saving is the caller's job.

use std::io::{self, BufRead, Write};

use tandem_core::answers::Answer;
use tandem_core::instrument::{AnswerCode, Instrument, Item, ResponseKind};

/// What the person did at one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Gave an answer.
    Answer(Answer),
    /// Left the item empty.
    Skip,
    /// Went back one item.
    Back,
    /// Stopped for now (or the input ended).
    Stop,
}

/// Reads steps from `input` and writes prompts to `output`.
pub struct Prompter<R, W> {
    input: R,
    output: W,
}

impl<R: BufRead, W: Write> Prompter<R, W> {
    /// A prompter over any line source and sink.
    pub fn new(input: R, output: W) -> Self {
        Self { input, output }
    }

    /// Writes free text (an intro, a notice).
    pub fn say(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.output, "{text}")?;
        self.output.flush()
    }

    /// Asks a yes/no question; anything but "y" or "yes" is no.
    pub fn confirm(&mut self, question: &str) -> io::Result<bool> {
        write!(self.output, "{question} [y/N] ")?;
        self.output.flush()?;
        let mut line = String::new();
        self.input.read_line(&mut line)?;
        Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
    }

    /// Asks `item`, the one at `position` of the administration's order,
    /// until the reply makes sense.
    pub fn ask(
        &mut self,
        instrument: &Instrument,
        (item, position): (&Item, usize),
        about: &str,
        current: Option<&Answer>,
    ) -> io::Result<Step> {
        let total = instrument.items.len();
        writeln!(self.output)?;
        writeln!(
            self.output,
            "Question {} of {total}  {}",
            position + 1,
            progress_bar(position, total)
        )?;
        let other = tandem_core::instrument::OtherPerson::new(about);
        writeln!(self.output, "{}", instrument.text_of(item, &other))?;
        self.show_choices(instrument, item, current)?;
        loop {
            write!(self.output, "> ")?;
            self.output.flush()?;
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                return Ok(Step::Stop);
            }
            let reply = line.trim_end_matches(['\r', '\n']);
            if let (true, Some(answer)) = (reply.trim().is_empty(), current) {
                return Ok(Step::Answer(answer.clone()));
            }
            match interpret(instrument, item, reply) {
                Ok(step) => return Ok(step),
                Err(hint) => writeln!(self.output, "{hint}")?,
            }
        }
    }

    fn show_choices(
        &mut self,
        instrument: &Instrument,
        item: &Item,
        current: Option<&Answer>,
    ) -> io::Result<()> {
        match item.response {
            ResponseKind::Scale => {
                let choices: Vec<String> = instrument
                    .scale
                    .points
                    .iter()
                    .map(|point| format!("{} {}", point.value, point.label))
                    .chain(
                        instrument
                            .scale
                            .codes
                            .iter()
                            .map(|point| format!("{} {}", code_key(point.code), point.label)),
                    )
                    .collect();
                writeln!(self.output, "  {}", choices.join(" · "))?;
                writeln!(self.output, "  (b back, s skip, q stop for now)")?;
            }
            ResponseKind::Text => {
                writeln!(
                    self.output,
                    "  (type a line, or press Enter to skip; :b back, :q stop for now)"
                )?;
            }
        }
        if let Some(answer) = current {
            let shown = match answer {
                Answer::Value(value) => value.to_string(),
                Answer::Code(code) => instrument.scale.code_label(*code).unwrap_or("").to_owned(),
                Answer::Text(_) => "your text".to_owned(),
            };
            writeln!(
                self.output,
                "  Your answer so far: {shown} (Enter keeps it)"
            )?;
        }
        Ok(())
    }
}

/// The letter that picks a code in the terminal.
fn code_key(code: AnswerCode) -> &'static str {
    match code {
        AnswerCode::NotApplicable => "n",
        AnswerCode::PreferNotToSay => "p",
    }
}

/// Makes sense of one reply, or says what is expected.
fn interpret(instrument: &Instrument, item: &Item, reply: &str) -> Result<Step, String> {
    let command = reply.trim().to_lowercase();
    match command.as_str() {
        ":b" | ":back" => return Ok(Step::Back),
        ":q" | ":stop" => return Ok(Step::Stop),
        _ => {}
    }
    match item.response {
        ResponseKind::Text if reply.trim().is_empty() => Ok(Step::Skip),
        ResponseKind::Text => Ok(Step::Answer(Answer::Text(reply.trim().to_owned()))),
        ResponseKind::Scale => match command.as_str() {
            "b" | "back" => Ok(Step::Back),
            "s" | "skip" => Ok(Step::Skip),
            "q" | "stop" | "quit" => Ok(Step::Stop),
            other
                if instrument
                    .scale
                    .codes
                    .iter()
                    .any(|p| code_key(p.code) == other) =>
            {
                instrument
                    .scale
                    .codes
                    .iter()
                    .find(|p| code_key(p.code) == other)
                    .map(|p| Step::Answer(Answer::Code(p.code)))
                    .ok_or_else(String::new)
            }
            other => other
                .parse::<i64>()
                .ok()
                .filter(|value| instrument.scale.contains(*value))
                .map(|value| Step::Answer(Answer::Value(value)))
                .ok_or_else(|| {
                    format!(
                        "Please type a number from {} to {}, or b, s or q.",
                        instrument.scale.min, instrument.scale.max
                    )
                }),
        },
    }
}

/// A bar of 20 cells showing how far along the person is.
fn progress_bar(done: usize, total: usize) -> String {
    let filled = (done * 20).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(20 - filled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::instrument::builtin::builtin_by_id;

    fn steps(lines: &str, position: usize) -> (Step, String) {
        let checkin = builtin_by_id("checkin").unwrap().unwrap();
        let mut out = Vec::new();
        let step = Prompter::new(lines.as_bytes(), &mut out)
            .ask(&checkin, (&checkin.items[position], position), "Sam", None)
            .unwrap();
        (step, String::from_utf8(out).unwrap())
    }

    #[test]
    fn replies_become_steps() {
        assert_eq!(steps("4\n", 0).0, Step::Answer(Answer::Value(4)));
        assert_eq!(steps("b\n", 0).0, Step::Back);
        assert_eq!(steps("s\n", 0).0, Step::Skip);
        assert_eq!(steps("q\n", 0).0, Step::Stop);
        assert_eq!(steps("", 0).0, Step::Stop);
        // Off the scale, then a good answer: asked again with a hint.
        let (step, shown) = steps("9\nx\n2\n", 0);
        assert_eq!(step, Step::Answer(Answer::Value(2)));
        assert_eq!(shown.matches("Please type a number from 1 to 5").count(), 2);
        assert!(shown.contains("Question 1 of 7"));
    }

    #[test]
    fn a_code_is_a_letter_where_the_scale_offers_it() {
        let rdp = builtin_by_id("rdp").unwrap().unwrap();
        let mut out = Vec::new();
        let step = Prompter::new("n\n".as_bytes(), &mut out)
            .ask(&rdp, (&rdp.items[0], 0), "Sam", None)
            .unwrap();
        assert_eq!(step, Step::Answer(Answer::Code(AnswerCode::NotApplicable)));
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains("n Does not apply to me"), "{shown}");
        // The check-in offers no code, so the letter is refused.
        let (step, shown) = steps("n\n3\n", 0);
        assert_eq!(step, Step::Answer(Answer::Value(3)));
        assert!(shown.contains("Please type a number"));
    }

    #[test]
    fn text_items_take_a_line_and_enter_skips() {
        assert_eq!(
            steps("a good week\n", 6).0,
            Step::Answer(Answer::Text("a good week".into()))
        );
        assert_eq!(steps("\n", 6).0, Step::Skip);
        assert_eq!(steps(":b\n", 6).0, Step::Back);
    }

    #[test]
    fn the_bar_fills_with_progress() {
        assert_eq!(progress_bar(0, 10), format!("[{}]", ".".repeat(20)));
        assert_eq!(
            progress_bar(5, 10),
            format!("[{}{}]", "#".repeat(10), ".".repeat(10))
        );
    }
}
