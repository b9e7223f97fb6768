"""The `bptui` command. Headless commands (key, check, schema, replay) never import Textual."""

from __future__ import annotations

import sys

from bptui import __version__

COMMANDS = ("key", "check", "schema", "replay", "practice", "sheet", "serve")


def _key(args) -> int:
    from rich.console import Console

    from bptui import lesson, steps
    from bptui.key import key_data, print_key, trace_of

    loaded = lesson.load(args.lesson)
    trace = trace_of(loaded)
    all_steps = steps.build(loaded, trace)
    if args.json:
        import json

        print(json.dumps(key_data(loaded, trace, all_steps), indent=2, ensure_ascii=False))
    else:
        print_key(loaded, trace, all_steps, Console())
    return 0


def _check(args) -> int:
    """Each lesson read, validated and worked through (the engine and every step): what `check`
    accepts, `key`, `replay` and the tutor can handle. Every problem of a file is listed; the
    steps are built only for a file that validated."""
    from bptui import lesson, steps
    from bptui.notation import clean

    failed = 0
    for spec in args.lessons:
        try:
            loaded = lesson.load(spec)
            steps.build(loaded)
        except lesson.LessonError as error:  # every problem of the file, a line each
            first, *rest = error.lines()
            print(f"✗ {clean(first)}", file=sys.stderr)
            for line in rest:
                print(clean(line), file=sys.stderr)
            failed += 1
        except Exception as error:  # noqa: BLE001 - one file's crash must not stop the others
            print(f"✗ {clean(spec)}: {internal(error)}", file=sys.stderr)
            failed += 1
        else:
            print(f"✓ {clean(loaded.source)}: {loaded.title}")
    return 2 if failed else 0


def internal(error: Exception) -> str:
    """A bug, said in one line instead of a traceback."""
    from bptui.notation import clean

    return f"internal error ({type(error).__name__}: {clean(str(error))[:200]}); please report it"


def _schema(args) -> int:
    import json

    from bptui.schema import lesson_schema

    print(json.dumps(lesson_schema(), indent=2, ensure_ascii=False))
    return 0


def _replay(args) -> int:
    from bptui.replay import main as replay_main

    drive = None
    if args.tui:  # the command line chooses: the headless replay never imports the TUI
        from bptui.tui.replay import replay_in_tui as drive
    return replay_main(args, drive)


def _sheet(args) -> int:
    from bptui.sheet import main as sheet_main

    return sheet_main(args)


def _serve(args) -> int:
    from bptui.serve import main as serve_main  # textual-serve: only here, never for the tutor

    return serve_main(args)


def _practice(args) -> int:
    import random
    from pathlib import Path

    from bptui.practice import generate, parse_shape, weakest_focus
    from bptui.progress import data_dir

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    shape = parse_shape(args.shape)
    focus = (args.focus,) if args.focus and args.focus != "weakest" else ()
    if args.focus == "weakest":
        from bptui.mastery import Skills, label

        focus = weakest_focus(Skills(data_dir()).load())
        if focus:
            print(f"practising the weakest skill: {label(focus[0])}", file=sys.stderr)
        else:
            print("no skill to strengthen yet (none practised, or all mastered): the whole "
                  "network is asked", file=sys.stderr)  # fmt: skip
    text = generate(shape, args.activation, args.loss, seed, focus)
    if args.save:
        Path(args.save).write_text(text, encoding="utf-8")
        print(f"saved {args.save} (seed {seed}); open it with: bptui {args.save}")
        return 0
    name = f"practice-{args.shape}-{args.activation}-{args.loss}-{seed}.toml"
    path = data_dir() / "practice" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # Open it in the tutor like any lesson file, so progress and attempt records work as usual.
    args.lesson, args.autoplay, args.answers, args.restart = str(path), None, None, False
    return _tutor(args)


def _tutor(args) -> int:
    from bptui.tui.run import run_tutor

    return run_tutor(args)


def command_parser():
    import argparse

    parser = argparse.ArgumentParser(prog="bptui", description="Learn backpropagation by doing it.")
    parser.add_argument("--version", action="version", version=f"bptui {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    key = sub.add_parser("key", help="print the worked solution of a lesson")
    key.add_argument("lesson", help="a lesson file, or the name of a shipped lesson")
    key.add_argument("--json", action="store_true", help="print the key as JSON")
    key.set_defaults(run=_key)

    check = sub.add_parser("check", help="validate lesson files (exit 2 if one is invalid)")
    check.add_argument("lessons", nargs="+", metavar="lesson")
    check.set_defaults(run=_check)

    schema = sub.add_parser("schema", help="print the JSON Schema of lesson files")
    schema.set_defaults(run=_schema)

    replay = sub.add_parser(
        "replay",
        help="grade answers files against a lesson, headless",
        epilog="exit status: 0 every answers file graded (with --strict: and every step right); "
        "1 with --strict, some step not right; 2 nothing graded (the lesson is unusable, or no "
        "answers file could be used); 3 some answers files could not be used (each is listed "
        "with its error), the others were graded",
    )
    replay.add_argument("lesson")
    replay.add_argument("answers", nargs="+", help="answer files, or folders of them")
    replay.add_argument(
        "--json",
        action="store_true",
        help="print the verdicts as JSON (several files: {files, unusable, report})",
    )
    replay.add_argument("--strict", action="store_true", help="exit 1 unless every step is right")
    replay.add_argument("--tui", action="store_true", help="drive the real tutor, headless")
    replay.add_argument("--screenshots", metavar="DIR", help="with --tui: an SVG after every step")
    replay.add_argument("--size", default="100x30", metavar="COLSxROWS", help="with --tui")
    replay.add_argument(
        "--report", action="store_true", help="a class report: per step, how the files did"
    )
    replay.add_argument("--csv", metavar="FILE", help="write the per-step report as CSV")
    replay.add_argument("--html", metavar="FILE", help="write the report as one HTML page")
    replay.set_defaults(run=_replay)

    sheet = sub.add_parser("sheet", help="print a lesson as a worksheet (or, with --key, its key)")
    sheet.add_argument("lesson")
    sheet.add_argument("--key", action="store_true", help="with the worked answers")
    sheet.add_argument("--format", choices=("markdown", "html"), default="markdown")
    sheet.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    add_scaffold(sheet)
    sheet.set_defaults(run=_sheet)

    serve = sub.add_parser("serve", help="the tutor in the browser, a learner per browser")
    serve.add_argument("lesson", nargs="?", help="a lesson (default: the picker)")
    serve.add_argument("--host", default="localhost", help="address to listen on (0.0.0.0: all)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--public-url", metavar="URL", help="the address learners use, if not --host"
    )
    serve.add_argument("--students", metavar="FILE", help="one student a line: personal links")
    serve.add_argument("--links", action="store_true", help="print each student's link and stop")
    serve.add_argument("--data", metavar="DIR", help="where every learner's folder is kept")
    serve.add_argument(
        "--collect",
        metavar="DIR",
        help="copy every learner's attempt records into DIR (for bptui replay) and stop",
    )
    serve.set_defaults(run=_serve)

    from bptui.lesson import LOSSES
    from bptui.practice import NETWORK_SKILLS

    practice = sub.add_parser("practice", help="a fresh network with friendly numbers")
    practice.add_argument("--shape", default="2-2-1", help="sizes from input to output (2-3-2)")
    practice.add_argument(
        "--activation", default="sigmoid", choices=("sigmoid", "tanh", "relu", "linear")
    )
    practice.add_argument("--loss", default="squared_error", choices=LOSSES)
    practice.add_argument("--seed", type=int, help="the same seed gives the same lesson")
    practice.add_argument(
        "--focus",
        choices=("weakest", *NETWORK_SKILLS),
        help="ask only one skill's steps: the weakest by your record across lessons, or one named",
    )
    practice.add_argument(
        "--save", metavar="FILE", help="write the lesson file instead of opening it"
    )
    add_scaffold(practice)
    practice.set_defaults(run=_practice)
    for command in (key, replay, practice, sheet, serve):
        add_language(command)
    return parser


def add_scaffold(parser) -> None:
    parser.add_argument(
        "--scaffold",
        choices=("numbers", "formula", "blank"),
        help="what each card gives before the answer (default: the lesson's): the formula with "
        "its numbers, the formula only, or only what is asked",
    )


def add_language(parser) -> None:
    parser.add_argument(
        "--lang", choices=("en", "zh"), help="the tutor's language (default: from the locale)"
    )


def tutor_parser():
    import argparse

    parser = argparse.ArgumentParser(
        prog="bptui",
        description="Learn backpropagation by doing it. Other commands: "
        + ", ".join(COMMANDS)
        + " (bptui COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"bptui {__version__}")
    parser.add_argument("lesson", nargs="?", help="a lesson file or shipped lesson name")
    parser.add_argument(
        "--autoplay", type=float, metavar="SECONDS", help="play the lesson by itself at this pace"
    )
    parser.add_argument("--answers", metavar="FILE", help="with --autoplay: type these answers")
    parser.add_argument("--restart", action="store_true", help="start the lesson from scratch")
    add_scaffold(parser)
    add_language(parser)
    parser.set_defaults(run=_tutor)
    return parser


class TutorArgs:
    """The tutor's options, as argparse would give them."""

    def __init__(self, lesson=None, lang=None, autoplay=None, answers=None, restart=False):
        self.lesson, self.lang, self.autoplay = lesson, lang, autoplay
        self.answers, self.restart, self.run = answers, restart, _tutor
        self.scaffold = None


def quick_tutor_args(argv: list[str]) -> TutorArgs | None:
    """`bptui [LESSON] [--lang en|zh] [--restart]` read without argparse: importing and setting
    it up is a few percent of the tutor's first frame. Anything else is argparse's to read."""
    args = TutorArgs()
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "--restart":
            args.restart = True
        elif word == "--lang" and words and words[0] in ("en", "zh"):
            args.lang = words.pop(0)
        elif word == "--scaffold" and words and words[0] in ("numbers", "formula", "blank"):
            args.scaffold = words.pop(0)
        elif not word.startswith("-") and args.lesson is None:
            args.lesson = word
        else:
            return None
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        args = command_parser().parse_args(argv)
    else:
        args = quick_tutor_args(argv) or tutor_parser().parse_args(argv)

    from bptui.i18n import default_language, set_language
    from bptui.lesson import LessonError
    from bptui.notation import clean

    set_language(getattr(args, "lang", None) or default_language())
    try:
        return args.run(args)
    except LessonError as error:
        print(f"bptui: {clean(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()  # a closed pipe (e.g. `| head`) is not an error worth a traceback
        return 0
    except OSError as error:  # a file that cannot be written, a full disk
        where = clean(str(error.filename or ""))
        print(f"bptui: {where}: {clean(str(error.strerror or error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - last resort: a short message, never a traceback
        print(f"bptui: {internal(error)}", file=sys.stderr)
        return 2
