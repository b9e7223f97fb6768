"""The JSON Schema of lesson files (`bptui schema`), for editors that check TOML as it is typed.

`bptui check` is the authority (it also checks shapes between layers and samples, which a schema
cannot say); the tests check that every shipped lesson passes this schema too.
"""

from __future__ import annotations

from bptui.lesson import (
    ACTIVATIONS,
    GRAPH_PHASES,
    LANGUAGES,
    LOSSES,
    MAX_INPUTS,
    MAX_LAYERS,
    MAX_MAGNITUDE,
    MAX_NODES,
    MAX_SAMPLES,
    MAX_WIDTH,
    NARRATION_KEYS,
    NETWORK_PHASES,
    SCAFFOLDS,
)
from bptui.skills import SKILLS

EXPR_HELP = "earlier names, numbers, + - * / ^, ( ), exp log sin cos tanh sigmoid relu"
NAME_PATTERN = "^[A-Za-z_][A-Za-z_0-9]*$"


def lesson_schema() -> dict:
    number = {"type": "number", "minimum": -MAX_MAGNITUDE, "maximum": MAX_MAGNITUDE}
    vector = {"type": "array", "items": number, "minItems": 1, "maxItems": MAX_WIDTH}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bptui.invalid/lesson.schema.json",
        "title": "bptui lesson",
        "description": "A small neural network, its training data, and how the tutor teaches it.",
        "type": "object",
        "oneOf": [
            {"required": ["network", "training"], "not": {"required": ["graph"]}},
            {
                "required": ["graph"],
                "not": {"anyOf": [{"required": ["network"]}, {"required": ["training"]}]},
            },
        ],
        "required": ["title"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1},
            "graph": {
                "description": "A chain-rule lesson: a small scalar computation graph.",
                "type": "object",
                "required": ["inputs", "output", "nodes"],
                "additionalProperties": False,
                "properties": {
                    "inputs": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": number,
                        "description": "name = value, e.g. { s = 0.5 }",
                    },
                    "output": {
                        "type": "string",
                        "description": "the node whose derivatives are asked",
                    },
                    "nodes": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_NODES,
                        "items": {
                            "type": "object",
                            "required": ["name", "expr"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string", "pattern": NAME_PATTERN},
                                "expr": {
                                    "type": "string",
                                    "description": EXPR_HELP,
                                },
                            },
                        },
                    },
                },
            },
            "summary": {"type": "string", "description": "One line for the lesson picker."},
            "network": {
                "type": "object",
                "required": ["inputs", "layers"],
                "additionalProperties": False,
                "properties": {
                    "inputs": {
                        "description": "Input names; their count is the input size.",
                        "type": "array",
                        "items": {"type": "string", "minLength": 1},
                        "minItems": 1,
                        "maxItems": MAX_INPUTS,
                        "uniqueItems": True,
                    },
                    "layers": {
                        "description": "First hidden layer first; the last is the output layer.",
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_LAYERS,
                        "items": {
                            "type": "object",
                            "required": ["activation", "weights", "biases"],
                            "additionalProperties": False,
                            "properties": {
                                "activation": {"enum": list(ACTIVATIONS)},
                                "weights": {
                                    "description": "Row j: the weights into neuron j; column k: "
                                    "from unit k of the layer before.",
                                    "type": "array",
                                    "items": vector,
                                    "minItems": 1,
                                    "maxItems": MAX_WIDTH,
                                },
                                "biases": vector,
                            },
                        },
                    },
                },
            },
            "training": {
                "type": "object",
                "required": ["loss", "learning_rate", "samples"],
                "additionalProperties": False,
                "properties": {
                    "loss": {"enum": list(LOSSES)},
                    "learning_rate": {"type": "number", "exclusiveMinimum": 0},
                    "samples": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_SAMPLES,
                        "items": {
                            "type": "object",
                            "required": ["x", "target"],
                            "additionalProperties": False,
                            "properties": {"x": vector, "target": vector},
                        },
                    },
                },
            },
            "display": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "decimals": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 6,
                        "description": "Decimal places usually asked; more for small values and "
                        "where a common slip would look the same.",
                    }
                },
            },
            "tutor": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "ask": {
                        "description": "The phases the learner computes; the others are shown.",
                        "type": "array",
                        "items": {"enum": [*NETWORK_PHASES, *GRAPH_PHASES]},
                        "minItems": 1,
                    },
                    "scaffold": {
                        "description": "What a card gives before the answer: the formula with "
                        "its numbers, the formula only, or only what is asked.",
                        "enum": list(SCAFFOLDS),
                    },
                    "focus": {
                        "description": "Skills: within the phases asked, only their steps are "
                        "asked; the others are shown.",
                        "type": "array",
                        "items": {"enum": list(SKILLS)},
                    },
                },
            },
            "narration": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    **{key: {"type": "string"} for key in NARRATION_KEYS},
                    **{
                        language: {
                            "description": "The same texts, and the title, in this language.",
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                key: {"type": "string"} for key in (*NARRATION_KEYS, "title")
                            },
                        }
                        for language in LANGUAGES
                    },
                },
            },
        },
    }
