#!/usr/bin/env python3
"""Recomputes Wetlink's flyway graph analytics with networkx and compares.

Usage: networkx_crosscheck.py GRAPHS.json

GRAPHS.json (written by tests/graph/networkx_crosscheck_test.cc) holds, per
graph: the links (from, to, probability, individuals, transitions), the
selected transitions (from, to, individual), Wetlink's betweenness (raw and
normalized), its most probable route for every ordered pair of nodes
(null when unreachable), and the reachable ordered pairs before and after
removing sets of nodes. Everything is recomputed independently:

  - links from the transitions (counts, distinct individuals, the share of
    the from node's departures);
  - networkx.betweenness_centrality(G, normalized=False / True) on the
    directed, unweighted link graph;
  - networkx.dijkstra_path with weight -log p: the route's probability must
    equal the best one (ties may pick another path of equal probability, so
    Wetlink's path is checked to be a real path with that probability);
  - reachable ordered pairs as the sum of |descendants(u)|.

Exits 1 on any disagreement beyond a relative tolerance of 1e-9, 2 when
networkx is missing.
"""

import collections
import json
import math
import sys

try:
    import networkx as nx
except ImportError:
    print("networkx is missing: apt-get install python3-networkx "
          "(scripts/setup-deps.sh --test)")
    sys.exit(2)

REL_TOL = 1e-9
ABS_TOL = 1e-12


def close(a, b):
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b)) + ABS_TOL


def check_graph(g, errors):
    name = g["name"]
    checks = 0

    def err(message):
        errors.append(f"{name}: {message}")

    graph = nx.DiGraph()
    for link in g["links"]:
        graph.add_edge(link["from"], link["to"], weight=-math.log(link["probability"]),
                       p=link["probability"])

    # Links from the transitions.
    count = collections.Counter()
    individuals = collections.defaultdict(set)
    departures = collections.Counter()
    for frm, to, individual in g["transitions"]:
        count[(frm, to)] += 1
        individuals[(frm, to)].add(individual)
        departures[frm] += 1
    wetlink_pairs = {(l["from"], l["to"]) for l in g["links"]}
    if wetlink_pairs != set(count):
        err(f"link pairs differ: {sorted(wetlink_pairs ^ set(count))}")
    for link in g["links"]:
        key = (link["from"], link["to"])
        checks += 1
        if link["transitions"] != count[key]:
            err(f"link {key}: {link['transitions']} transitions, expected {count[key]}")
        if link["individuals"] != len(individuals[key]):
            err(f"link {key}: {link['individuals']} individuals, expected "
                f"{len(individuals[key])}")
        expected = count[key] / departures[key[0]] if departures[key[0]] else float("nan")
        if not close(link["probability"], expected):
            err(f"link {key}: probability {link['probability']!r}, expected {expected!r}")
    for node in graph.nodes:
        out = sum(graph.edges[node, v]["p"] for v in graph.successors(node))
        if graph.out_degree(node) and not close(out, 1.0):
            err(f"node {node}: outgoing probabilities sum to {out!r}")

    # Betweenness.
    raw = nx.betweenness_centrality(graph, normalized=False)
    normalized = nx.betweenness_centrality(graph, normalized=True)
    wetlink = {b["node"]: b for b in g["betweenness"]}
    if set(wetlink) != set(graph.nodes):
        err(f"betweenness nodes differ: {sorted(set(wetlink) ^ set(graph.nodes))}")
    for node in graph.nodes:
        if node not in wetlink:
            continue
        checks += 2
        if not close(wetlink[node]["raw"], raw[node]):
            err(f"betweenness of {node}: {wetlink[node]['raw']!r}, networkx {raw[node]!r}")
        if not close(wetlink[node]["normalized"], normalized[node]):
            err(f"normalized betweenness of {node}: {wetlink[node]['normalized']!r}, "
                f"networkx {normalized[node]!r}")
    if not any(v > 0 for v in raw.values()):
        err("no node has any betweenness: the graph is too simple to check anything")

    # Most probable routes.
    for route in g["routes"]:
        s, t = route["from"], route["to"]
        checks += 1
        reachable = nx.has_path(graph, s, t)
        if route["nodes"] is None:
            if reachable:
                err(f"route {s}->{t}: Wetlink finds none, networkx finds "
                    f"{nx.dijkstra_path(graph, s, t, weight='weight')}")
            continue
        if not reachable:
            err(f"route {s}->{t}: Wetlink finds {route['nodes']}, networkx finds none")
            continue
        path = route["nodes"]
        if path[0] != s or path[-1] != t or len(set(path)) != len(path):
            err(f"route {s}->{t}: {path} is not a simple path between them")
            continue
        product = 1.0
        for u, v in zip(path, path[1:]):
            if not graph.has_edge(u, v):
                err(f"route {s}->{t}: {path} uses {u}->{v}, which is no link")
                break
            product *= graph.edges[u, v]["p"]
        else:
            if not close(product, route["probability"]):
                err(f"route {s}->{t}: {path} has probability {product!r}, Wetlink says "
                    f"{route['probability']!r}")
        best_path = nx.dijkstra_path(graph, s, t, weight="weight")
        best = math.exp(-nx.path_weight(graph, best_path, weight="weight"))
        if not close(route["probability"], best):
            err(f"route {s}->{t}: Wetlink {path} p={route['probability']!r}, networkx "
                f"{best_path} p={best!r}")

    # Reachable ordered pairs.
    def reachable_pairs(h):
        return sum(len(nx.descendants(h, u)) for u in h.nodes)

    before = reachable_pairs(graph)
    checks += 1
    if g["reachable_before"] != before:
        err(f"reachable pairs before: {g['reachable_before']}, networkx {before}")
    for loss in g["loss"]:
        h = graph.copy()
        h.remove_nodes_from(loss["removed"])
        after = reachable_pairs(h)
        checks += 1
        if loss["after"] != after:
            err(f"reachable pairs without {loss['removed']}: {loss['after']}, networkx {after}")
    return checks, graph.number_of_nodes(), graph.number_of_edges()


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    errors = []
    for g in doc["graphs"]:
        checks, nodes, edges = check_graph(g, errors)
        print(f"{g['name']}: {nodes} nodes, {edges} links, {checks} checks")
    for e in errors[:50]:
        print("MISMATCH", e)
    if errors:
        print(f"{len(errors)} mismatches (networkx {nx.__version__})")
        return 1
    print(f"all agree with networkx {nx.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
