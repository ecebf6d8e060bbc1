"""Everything the skill says comes from responses/: pick a variant, fill it in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data import load_yaml, yaml_files


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Responses:
    items: dict[str, dict[str, Any]]
    names: dict[str, dict[str, str]]

    @classmethod
    def load(cls) -> Responses:
        items: dict[str, dict[str, Any]] = {}
        for path in yaml_files("responses", "en"):
            if path.name == "names.yaml":
                continue
            data = load_yaml("responses", "en", path.name) or {}
            for key, item in data.items():
                if key in items:
                    raise ValueError(f"response {key!r} is defined twice (in {path.name})")
                items[key] = item
        names = load_yaml("responses", "en", "names.yaml")
        names.pop("source", None)
        return cls(items, names)

    def has(self, key: str) -> bool:
        return key in self.items

    def item(self, key: str) -> dict[str, Any]:
        if key not in self.items:
            raise KeyError(f"no response {key!r} in responses/")
        return self.items[key]

    def variants(self, key: str) -> list[str]:
        said = self.item(key).get("say", [])
        return [said] if isinstance(said, str) else list(said)

    def text(self, key: str, turn: int = 0, **fill: Any) -> str:
        """Variant number ``turn`` (wrapping round) of ``key``, filled in."""
        options = self.variants(key)
        if not options:
            raise KeyError(f"response {key!r} has nothing to say")
        chosen = options[turn % len(options)]
        return chosen.format_map(_Blank(fill)).strip()

    def field(self, key: str, name: str) -> Any:
        return self.item(key).get(name)

    def name(self, slot: str, value: Any) -> str:
        return str(self.names.get(slot, {}).get(str(value), str(value).replace("_", " ")))


@lru_cache(maxsize=1)
def default_responses() -> Responses:
    return Responses.load()
