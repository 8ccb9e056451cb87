"""The Grafana dashboard (deploy/grafana/floe-iceberg.json) without Grafana:
its panel queries with the template variables filled in, and a picture of
the panels drawn with matplotlib from Prometheus's answers (Grafana is AGPL
and no dependency of Floe)."""
import json
import pathlib

from conftest import ROOT

DASHBOARD = ROOT / "deploy" / "grafana" / "floe-iceberg.json"


def load():
    return json.loads(DASHBOARD.read_text())


def panels(dashboard):
    """The panels that draw something (rows are headings), in layout order."""
    out = []
    for p in dashboard["panels"]:
        if p["type"] == "row":
            out.extend(p.get("panels", []))
        else:
            out.append(p)
    return sorted(out, key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"]))


def fill(expr, variables, rate_interval="10s"):
    """`expr` as Grafana would send it: $var replaced by the selected value
    (a regex: the dashboard matches with =~), $__rate_interval by an interval
    that holds several scrapes."""
    expr = expr.replace("$__rate_interval", rate_interval)
    for name in sorted(variables, key=len, reverse=True):
        expr = expr.replace("${" + name + "}", variables[name]).replace("$" + name, variables[name])
    assert "$" not in expr, f"unfilled variable in {expr}"
    return expr


def heatmap(ax, prometheus, panel, variables, start, end, step):
    """A histogram's buckets over time as Grafana's heatmap shows them:
    cumulative `le` series turned into per-bucket counts, one row each."""
    series = prometheus.query_range(fill(panel["targets"][0]["expr"], variables), start, end, step)
    series.sort(key=lambda s: float(s["metric"]["le"]))
    if not series:
        return
    times = [float(t) - start for t, _ in series[0]["values"]]
    cumulative = [[float(v) for _, v in s["values"]] for s in series]
    rows = [[c - (cumulative[i - 1][k] if i else 0) for k, c in enumerate(col)]
            for i, col in enumerate(cumulative)]
    ax.imshow(rows, aspect="auto", origin="lower", cmap="Oranges", interpolation="nearest",
              extent=(times[0], times[-1], -0.5, len(rows) - 0.5))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(["≤ " + s["metric"]["le"] for s in series], fontsize=6)
    ax.set_xlabel("seconds", fontsize=8)
    ax.tick_params(labelsize=7)


def render(prometheus, dashboard, variables, start, end, out, step=1):
    """Draws every panel's queries over [start, end] into the PNG `out`, in a
    grid that follows the dashboard's rows."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shown = panels(dashboard)
    cols = 4
    rows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 5, rows * 3.2), squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.axis("off")
    for ax, panel in zip(axes.flat, shown):
        ax.set_title(panel["title"], fontsize=10)
        if panel["type"] == "heatmap":
            heatmap(ax, prometheus, panel, variables, start, end, step)
            continue
        for target in panel["targets"]:
            for series in prometheus.query_range(fill(target["expr"], variables), start, end, step):
                xs = [float(t) - start for t, _ in series["values"]]
                ys = [float(v) for _, v in series["values"]]
                label = target.get("legendFormat", "")
                for k, v in series["metric"].items():
                    label = label.replace("{{" + k + "}}", v)
                ax.plot(xs, ys, label=label or None, linewidth=1.2)
        ax.set_xlabel("seconds", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        if unit and unit != "short":
            ax.set_ylabel(unit, fontsize=8)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=6, loc="upper left")
    fig.suptitle(dashboard["title"] + "  (" + ", ".join(f"{k}={v}" for k, v in variables.items()) + ")",
                 fontsize=12)
    fig.tight_layout()
    pathlib.Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out
