# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A job graph drawn as SVG, for the job form (``queue.job.graph_svg``).

Why SVG drawn on the server: Odoo 11's web client shows an Html field as
is, so the form needs no JavaScript, no asset bundle and no library to
keep in step with Odoo 11's old jQuery and module loader; graphs of jobs
are small (a company and its contacts, a few levels) and a layered layout
suits them: each job in the row after its deepest dependency, arrows down.
Each box links to its job's form and is coloured by state.

    >>> svg = draw_graph([(1, 'Import company', 'done'), (2, 'Import contact', 'pending')],
    ...                  [(1, 2)], current=2)
    >>> svg.startswith('<svg') and svg.count('<rect') == 2 and 'marker-end' in svg
    True
"""
from html import escape
from typing import Dict, List, Optional, Sequence, Tuple

#: Fill colour of a job's box by state.
STATE_COLOURS = {
    'wait_dependencies': '#fcf8e3', 'pending': '#d9edf7', 'enqueued': '#d9edf7',
    'started': '#cfe2ff', 'done': '#dff0d8', 'failed': '#f2dede', 'cancelled': '#eeeeee',
}

BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y, MARGIN = 170, 40, 20, 40, 10


def _layers(ids: Sequence[int], edges: Sequence[Tuple[int, int]]) -> Dict[int, int]:
    """The row of each job: one below its deepest dependency (the graph has no cycle)."""
    dependencies = {job_id: [] for job_id in ids}  # type: Dict[int, List[int]]
    for before, after in edges:
        dependencies[after].append(before)
    layer = {}  # type: Dict[int, int]

    def depth(job_id, seen=()):
        if job_id not in layer:
            if job_id in seen:  # defensive: a cycle stored by hand
                return 0
            layer[job_id] = 1 + max((depth(d, seen + (job_id,)) for d in dependencies[job_id]),
                                    default=-1)
        return layer[job_id]
    for job_id in ids:
        depth(job_id)
    return layer


def draw_graph(nodes: Sequence[Tuple[int, str, str]], edges: Sequence[Tuple[int, int]],
               current: Optional[int] = None,
               state_labels: Optional[Dict[str, str]] = None) -> str:
    """SVG of jobs ``nodes`` (id, label, state) and ``edges`` (dependency id,
    dependent id); the ``current`` job drawn with a thick border; a state is
    written as ``state_labels`` names it (the user's words, translated)."""
    state_labels = state_labels or {}
    ids = [job_id for job_id, _label, _state in nodes]
    edges = [(a, b) for a, b in edges if a in ids and b in ids]
    layer = _layers(ids, edges)
    rows = {}  # type: Dict[int, List[int]]
    for job_id in sorted(ids):
        rows.setdefault(layer[job_id], []).append(job_id)
    position = {}
    for row, row_ids in rows.items():
        for column, job_id in enumerate(row_ids):
            position[job_id] = (MARGIN + column * (BOX_WIDTH + GAP_X),
                                MARGIN + row * (BOX_HEIGHT + GAP_Y))
    width = MARGIN * 2 + max(len(r) for r in rows.values()) * (BOX_WIDTH + GAP_X) - GAP_X
    height = MARGIN * 2 + len(rows) * (BOX_HEIGHT + GAP_Y) - GAP_Y
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="o_connector_job_graph" '
             'width="%d" height="%d" font-family="sans-serif" font-size="11">' % (width, height),
             '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
             'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#777"/></marker></defs>']
    for before, after in edges:
        (x1, y1), (x2, y2) = position[before], position[after]
        parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#777" '
                     'marker-end="url(#arrow)"/>' % (x1 + BOX_WIDTH // 2, y1 + BOX_HEIGHT,
                                                     x2 + BOX_WIDTH // 2, y2 - 2))
    for job_id, label, state in nodes:
        x, y = position[job_id]
        short = label if len(label) <= 26 else label[:25] + '\u2026'
        parts.append(
            '<a href="/web#id=%d&amp;model=queue.job&amp;view_type=form">'
            '<title>%s (%s)</title>'
            '<rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="%s" stroke="#555" '
            'stroke-width="%d"/>'
            '<text x="%d" y="%d">%s</text><text x="%d" y="%d" fill="#555">%s</text></a>'
            % (job_id, escape(label), escape(state_labels.get(state, state)), x, y,
               BOX_WIDTH, BOX_HEIGHT,
               STATE_COLOURS.get(state, '#ffffff'), 3 if job_id == current else 1,
               x + 6, y + 16, escape(short), x + 6, y + 32,
               escape(state_labels.get(state, state))))
    parts.append('</svg>')
    return ''.join(parts)
