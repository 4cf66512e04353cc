//! Frames: the events and attributed claims the spans and relations of a document describe.
//!
//! A **claim frame** is a `claim` span with the spans its relations point at: who makes it
//! (`source`), its verb of saying (`cue`) and when (`time`). An **event frame** is an `action`
//! span that is not the cue of a claim, with who acts (`agent`), who is acted on (`target`)
//! and when (`time`). Roles follow relations out of the frame's span (`from` is the claim or the
//! action), in relation id order. The labels and kinds are the default schema's; a project
//! whose schema names them otherwise has no frames.
//!
//! Frames are computed, never stored: the GUI's Frames panel, the span list's "incomplete"
//! filters and `export --to frames` all read them from here.

use std::collections::HashSet;

use crate::model::set::AnnotationSet;
use crate::model::span::{Relation, Span, SpanId};

/// The label of a claim frame's span.
pub const CLAIM: &str = "claim";
/// The label of an event frame's span.
pub const ACTION: &str = "action";
/// The relation kind that makes an action a claim's verb of saying (not an event of its own).
pub const CUE: &str = "cue";

/// Which kind of frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameType {
    Claim,
    Event,
}

impl FrameType {
    /// `claim` or `event`, as `export --to frames` writes it.
    pub fn as_str(&self) -> &'static str {
        match self {
            FrameType::Claim => "claim",
            FrameType::Event => "event",
        }
    }

    /// The name of the frame's own span: `content` of a claim, `trigger` of an event.
    pub fn head_role(&self) -> &'static str {
        match self {
            FrameType::Claim => "content",
            FrameType::Event => "trigger",
        }
    }

    /// The roles, each named after the relation kind that fills it, in the order shown.
    pub fn roles(&self) -> &'static [&'static str] {
        match self {
            FrameType::Claim => &["source", "cue", "time"],
            FrameType::Event => &["agent", "target", "time"],
        }
    }
}

/// One frame: its span and, per role, the spans that fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub kind: FrameType,
    pub head: SpanId,
    /// One entry per role of [`FrameType::roles`], in that order.
    pub roles: Vec<(&'static str, Vec<SpanId>)>,
}

impl Frame {
    /// The spans filling `role` (empty when it is missing or not a role of this frame).
    pub fn role(&self, role: &str) -> &[SpanId] {
        self.roles
            .iter()
            .find(|(name, _)| *name == role)
            .map_or(&[], |(_, spans)| spans.as_slice())
    }

    /// The roles nobody fills (`time` is often absent from an article: it is listed too; the
    /// reader decides what matters).
    pub fn missing(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.roles
            .iter()
            .filter(|(_, spans)| spans.is_empty())
            .map(|(name, _)| *name)
    }
}

/// The frames of `set`, in span order, counting the spans `keep_span` keeps and the relations
/// `keep_relation` keeps (a relation to a span not kept does not count either).
pub fn frames(
    set: &AnnotationSet,
    keep_span: impl Fn(&Span) -> bool,
    keep_relation: impl Fn(&Relation) -> bool,
) -> Vec<Frame> {
    let kept = |r: &Relation| {
        keep_relation(r)
            && [&r.from, &r.to]
                .iter()
                .all(|id| set.get(id).is_some_and(&keep_span))
    };
    // Actions that are the cue of a kept claim are part of that claim, not events.
    let cues: HashSet<&SpanId> = set
        .spans()
        .filter(|s| s.label.as_str() == CLAIM && keep_span(s))
        .flat_map(|claim| set.relations_of(&claim.id))
        .filter(|r| r.kind.as_str() == CUE && kept(r))
        .map(|r| &r.to)
        .collect();
    set.spans()
        .filter(|s| keep_span(s))
        .filter_map(|span| {
            let kind = match span.label.as_str() {
                CLAIM => FrameType::Claim,
                ACTION if !cues.contains(&span.id) => FrameType::Event,
                _ => return None,
            };
            Some(frame(set, &span.id, kind, &kept))
        })
        .collect()
}

/// The frame of `kind` headed by span `head`: each role filled by the relations out of it that
/// `kept` keeps, in relation id order.
fn frame(
    set: &AnnotationSet,
    head: &SpanId,
    kind: FrameType,
    kept: &dyn Fn(&Relation) -> bool,
) -> Frame {
    let out: Vec<&Relation> = set
        .relations_of(head)
        .filter(|r| &r.from == head && kept(r))
        .collect();
    let roles = kind
        .roles()
        .iter()
        .map(|role| {
            let spans = out
                .iter()
                .filter(|r| r.kind.as_str() == *role)
                .map(|r| r.to.clone())
                .collect();
            (*role, spans)
        })
        .collect();
    Frame {
        kind,
        head: head.clone(),
        roles,
    }
}

/// The frame of span `id` counting every span and relation: its claim frame, its event frame,
/// or `None` (not a claim or an action, or an action that is a claim's cue). What the span
/// list's "missing a role" filters ask span by span.
pub fn frame_of(set: &AnnotationSet, id: &SpanId) -> Option<Frame> {
    let span = set.get(id)?;
    let kind = match span.label.as_str() {
        CLAIM => FrameType::Claim,
        ACTION => {
            let is_cue = set.relations_of(id).any(|r| {
                r.kind.as_str() == CUE
                    && &r.to == id
                    && set.get(&r.from).is_some_and(|c| c.label.as_str() == CLAIM)
            });
            if is_cue {
                return None;
            }
            FrameType::Event
        }
        _ => return None,
    };
    Some(frame(set, id, kind, &|_| true))
}

/// The spans whose frame may have changed when `ids` changed: the spans themselves and the other
/// ends of their relations (relabelling a claim makes its cue an event again).
pub fn affected(set: &AnnotationSet, ids: &[SpanId]) -> Vec<SpanId> {
    let mut out: Vec<SpanId> = ids.to_vec();
    for id in ids {
        out.extend(set.relations_of(id).map(|r| r.other_end(id).clone()));
    }
    out.sort();
    out.dedup();
    out
}

/// The frames of `set` counting every span and relation.
pub fn all_frames(set: &AnnotationSet) -> Vec<Frame> {
    frames(set, |_| true, |_| true)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::marked::{label, marked};
    use crate::model::span::{Status, Timestamp};
    use crate::model::text::Text;

    /// `Lavrov said on Monday that …`: s1 actor, s2 action, s3 date, s4 claim; plus a second
    /// action `met` (s5) with its agent.
    fn lavrov() -> AnnotationSet {
        let (text, spans) = marked(
            "[Sergey Lavrov]{actor} [said]{action} on [Monday]{date} [that his country is suspending its mission]{claim}; he [met]{action} [Stoltenberg]{actor}.",
        );
        let mut set = AnnotationSet::new(Arc::new(Text::new(text)));
        for s in spans {
            set.insert(s).unwrap();
        }
        let mut n = 0;
        let mut link = |set: &mut AnnotationSet, kind: &str, from: u64, to: u64| {
            n += 1;
            set.insert_relation(Relation::new(
                SpanId::new(format!("r{n}")).unwrap(),
                label(kind),
                SpanId::numbered(from),
                SpanId::numbered(to),
                "test",
                Timestamp::from_unix(0),
            ))
            .unwrap();
        };
        link(&mut set, "source", 4, 1);
        link(&mut set, "cue", 4, 2);
        link(&mut set, "time", 4, 3);
        link(&mut set, "target", 5, 6);
        set
    }

    fn ids(spans: &[SpanId]) -> Vec<&str> {
        spans.iter().map(SpanId::as_str).collect()
    }

    #[test]
    fn a_claim_with_its_source_cue_and_time_and_an_event_that_is_not_a_cue() {
        let frames = all_frames(&lavrov());
        assert_eq!(frames.len(), 2, "{frames:?}");
        let claim = &frames[0];
        assert_eq!((claim.kind, claim.head.as_str()), (FrameType::Claim, "s4"));
        assert_eq!(ids(claim.role("source")), ["s1"]);
        assert_eq!(ids(claim.role("cue")), ["s2"]);
        assert_eq!(ids(claim.role("time")), ["s3"]);
        assert_eq!(claim.missing().count(), 0);
        // "said" is the claim's cue, so the only event is "met".
        let event = &frames[1];
        assert_eq!((event.kind, event.head.as_str()), (FrameType::Event, "s5"));
        assert_eq!(ids(event.role("target")), ["s6"]);
        assert_eq!(event.missing().collect::<Vec<_>>(), ["agent", "time"]);
    }

    #[test]
    fn the_frame_of_one_span_is_the_one_all_frames_gives() {
        let set = lavrov();
        let all = all_frames(&set);
        for span in set.spans() {
            let one = frame_of(&set, &span.id);
            assert_eq!(
                one.as_ref(),
                all.iter().find(|f| f.head == span.id),
                "{}",
                span.id
            );
        }
    }

    #[test]
    fn filtered_relations_and_spans_leave_roles_missing_and_cues_free() {
        let set = lavrov();
        // Without the cue relation, "said" is an event of its own.
        let frames = frames(&set, |_| true, |r| r.kind.as_str() != "cue");
        assert_eq!(frames.len(), 3);
        assert!(frames.iter().any(|f| f.head.as_str() == "s2"));
        // A rejected actor leaves the claim without a source.
        let mut set = set;
        let e = crate::model::Edit::set_status(
            &set,
            &SpanId::numbered(1),
            Status::Rejected,
            Timestamp::from_unix(1),
        )
        .unwrap();
        e.apply(&mut set).unwrap();
        let frames = super::frames(&set, |s| s.status != Status::Rejected, |_| true);
        let claim = frames.iter().find(|f| f.kind == FrameType::Claim).unwrap();
        assert_eq!(claim.missing().collect::<Vec<_>>(), ["source"]);
    }
}
