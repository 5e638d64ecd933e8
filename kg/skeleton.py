"""The files `kg init DIR` writes: a tiny project that builds, to copy from.

The example is real: one quote of Topor, von Greiff & Skogens (2019) and one passage citing
Borg & Kristiansen (2004), with the metadata of the bundled references.
"""

EXAMPLE_YAML = """\
# One annotation file per study: its participants, codebook, quotes and citing passages.
# The format is described in the recovery-kg README. Ids must be unique; every id used must be
# declared; every key in `study:` and `cites:` must be in references/*.bib.
study: topor2019ijmha          # BibTeX key of the paper these quotes are published in

participants:
  - {id: "38", role: user}      # role: user | professional

themes:                          # this study's codebook
  - id: small-things
    label: Small trivial things of great importance
    definition: Helpful situations described as trivial things, with a lack of drama.

factors:                         # shared by the whole project: declare each once
  - {id: being-seen, label: Being seen}

actions:                         # shared by the whole project: declare each once
  - id: hand-on-shoulder
    label: A hand on the shoulder and "How are you today?"
    kind: gesture                # gesture | words | deed
    by: professional             # user | professional
    supports: [being-seen]

quotes:
  - id: q38-shoulder
    speaker: "38"                # or, with no id in the paper: role: user
    text: >-
      I had broken off all my relationships, so I came here and someone put his hand on my
      shoulder and asked: “How are you today?” Then you feel you can cool down. You have a
      human relationship.
    themes: [small-things]
    actions: [hand-on-shoulder]
    factors: [being-seen]

citations:                       # passages that cite the literature
  - id: c-beyond-expected
    text: >-
      Doing something that is perceived as going beyond what is normally expected is recurrent
      in studies of the descriptions of helpful professionals given by users (Borg and
      Kristiansen 2004).
    cites: [borg2004]
    themes: [small-things]
"""

EXAMPLE_BIB = """\
% The BibTeX of the annotated study and of every work its passages cite.
@article{topor2019ijmha,
  author = {Topor, Alain and von Greiff, Ninive and Skogens, Lisa},
  title = {Micro-affirmations and Recovery for Persons with Mental Health and Alcohol and Drug
           Problems: User and Professional Experience-Based Practice and Knowledge},
  journal = {International Journal of Mental Health and Addiction},
  year = {2019},
  doi = {10.1007/s11469-019-00063-8}
}

@article{borg2004,
  author = {Borg, Marit and Kristiansen, Kristjana},
  title = {Recovery-oriented professionals: Helping relationships in mental health services},
  journal = {Journal of Mental Health},
  year = {2004},
  volume = {13},
  number = {5},
  pages = {493--505},
  doi = {10.1080/09638230400006809}
}
"""

README = """\
# A recovery-kg project

- `quotes/`: one annotation file (YAML) per study.
- `references/`: the BibTeX of the studies and of the works they cite.

Build the graph with `kg build` (it writes `out/graph.ttl`); check everything with `kg validate`.
"""

SKELETON = {
    "quotes/example.yaml": EXAMPLE_YAML,
    "references/references.bib": EXAMPLE_BIB,
    "README.md": README,
    ".gitignore": "out/\n",
}
