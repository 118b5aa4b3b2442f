"""The administrator's view of label wordings learned from reviewers' corrections: list them, remove a wrong one."""

from __future__ import annotations

from context.services import Services
from domain.actor import Actor
from pipeline.learned_labels import LearnedLabel, load_learned, save_learned
from service.errors import NotFound
from service.permissions import require


def list_learned(services: Services, actor: Actor) -> list[LearnedLabel]:
    require(actor, "manage_labels")
    return load_learned(services.settings)


def remove_learned(services: Services, actor: Actor, label_id: str) -> LearnedLabel:
    require(actor, "manage_labels")
    labels = load_learned(services.settings)
    found = next((x for x in labels if x.id == label_id), None)
    if found is None:
        raise NotFound("no_label", label_id=label_id)
    save_learned(services.settings, [x for x in labels if x.id != label_id])
    services.log(actor, "label.remove", found.learned_from, "Gỡ nhãn đã học", label=found.label, kind=found.kind,
                 type_id=found.type_id, id=found.id)
    return found
