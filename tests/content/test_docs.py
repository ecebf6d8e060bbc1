"""The README's diagram is the machine's own declaration, not a stale copy."""

from pathlib import Path

from skill.dialogue.flow import mermaid

ROOT = Path(__file__).resolve().parents[2]


def test_readme_diagram_matches_the_declared_machine() -> None:
    assert mermaid().rstrip() in (ROOT / "README.md").read_text()


def test_readme_starts_with_the_setup_and_test_commands() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = [b.split("```", 1)[0].strip() for b in text.split("```sh\n")[1:3]]
    assert blocks[0].startswith("bash scripts/setup") and "cramp-coach chat" in blocks[0]
    assert blocks[1] == "bash scripts/test"


def test_readme_sample_conversation_is_real_output() -> None:
    from tests.conftest import talk

    text = (ROOT / "README.md").read_text()
    sample = text.split("```text\n")[1].split("\n```")[0]
    said = [line.removeprefix("You:   ") for line in sample.splitlines()
            if line.startswith("You:   ")]
    turns = talk(said)
    expected = "\n".join((f"You:   {t.heard}\n" if t.heard is not None else "")
                         + f"Coach: {t.say}" for t in turns)
    assert sample == expected
