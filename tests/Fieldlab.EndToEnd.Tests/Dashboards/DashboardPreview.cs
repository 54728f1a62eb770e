using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Testing.Dashboards;

namespace Fieldlab.EndToEnd.Tests.Dashboards;

/// <summary>An HTML page that lays a dashboard's panels out on Grafana's grid (24 columns, 30 px rows, 8 px gaps) and
/// draws each panel from the rows its queries really returned: lines for time series and state timelines, points for
/// XY charts, the last value for stats, the first rows for tables. It is what the docs show in place of a Grafana
/// screenshot — the layout and the data are real, the drawing is this page's, not Grafana's.</summary>
internal static class DashboardPreview
{
    private const int Cell = 30, Gap = 8, Width = 1600;
    private static readonly string[] Colours = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#b877d9", "#f2495c", "#8ab8ff", "#fade2a"];

    /// <summary>The page for <paramref name="dashboard"/>, with each panel's query results by panel id.</summary>
    public static string Render(DashboardFile dashboard, IReadOnlyDictionary<int, IReadOnlyList<InfluxSeries>> results, string subtitle)
    {
        var html = new StringBuilder();
        var columnWidth = (Width - Gap) / 24.0;
        int bottom = dashboard.Panels().Max(p => (int)p["gridPos"]!["y"]! + (int)p["gridPos"]!["h"]!);
        html.Append($$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{Esc((string?)dashboard.Json["title"])}}</title><style>
            body { margin: 0; background: #111217; color: #ccccdc; font: 13px "DejaVu Sans", sans-serif; }
            header { padding: 10px 12px 2px; } header h1 { font-size: 18px; margin: 0; color: #fff; } header p { margin: 4px 0; color: #8e8e9e; font-size: 12px; }
            .grid { position: relative; width: {{Width}}px; height: {{bottom * (Cell + Gap) + Gap}}px; }
            .panel { position: absolute; box-sizing: border-box; background: #181b1f; border: 1px solid #2c3235; border-radius: 3px; padding: 6px 8px; overflow: hidden; }
            .panel h2 { font-size: 13px; margin: 0 0 2px; color: #ccccdc; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .panel .unit { float: right; color: #6e6e7e; font-size: 11px; font-weight: normal; }
            .row { position: absolute; font-size: 15px; color: #fff; font-weight: 600; padding-top: 6px; }
            .legend { font-size: 11px; color: #9fa0ab; white-space: nowrap; overflow: hidden; } .legend span { margin-right: 10px; }
            .stat { font-size: 34px; font-weight: 600; margin-top: 8px; } table { border-collapse: collapse; font-size: 11px; width: 100%; }
            td, th { border-bottom: 1px solid #2c3235; padding: 2px 4px; text-align: left; white-space: nowrap; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
            th { color: #6e9fff; } svg { display: block; }
            </style></head><body><header><h1>{{Esc((string?)dashboard.Json["title"])}}</h1><p>{{Esc(subtitle)}}</p></header><div class="grid">
            """);
        foreach (var panel in dashboard.Panels())
        {
            var grid = panel["gridPos"]!;
            double x = Gap + (int)grid["x"]! * columnWidth, y = Gap + (int)grid["y"]! * (Cell + Gap);
            double w = (int)grid["w"]! * columnWidth - Gap, h = (int)grid["h"]! * (Cell + Gap) - Gap;
            var title = Esc((string?)panel["title"]);
            var type = (string?)panel["type"];
            if (type == "row")
            {
                html.Append(CultureInfo.InvariantCulture, $"""<div class="row" style="left:{x:F0}px;top:{y:F0}px;width:{w:F0}px">{title}</div>""");
                continue;
            }
            var unit = (string?)panel["fieldConfig"]?["defaults"]?["unit"] ?? "";
            var series = results.TryGetValue((int)panel["id"]!, out var s) ? s : [];
            html.Append(CultureInfo.InvariantCulture, $"""<div class="panel" data-type="{type}" data-series="{series.Count}" style="left:{x:F0}px;top:{y:F0}px;width:{w:F0}px;height:{h:F0}px">""");
            html.Append($"""<h2>{title}<span class="unit">{Esc(unit)}</span></h2>""");
            html.Append(type switch
            {
                "stat" => Stat(series),
                "table" => Table(series),
                "xychart" => Scatter(series, w - 16, h - 44),
                _ => Lines(series, w - 16, h - 44, type == "state-timeline"),
            });
            html.Append("</div>");
        }
        html.Append("</div></body></html>");
        return html.ToString();
    }

    private static IEnumerable<(string Name, List<(double T, double V)> Points)> Numeric(IReadOnlyList<InfluxSeries> series)
    {
        foreach (var s in series)
        {
            var time = s.ColumnIndex("time");
            for (int c = 0; c < s.Columns.Count; c++)
            {
                if (c == time) continue;
                var points = new List<(double, double)>();
                for (int r = 0; r < s.Rows.Count; r++)
                    if (Number(s.Rows[r][c]) is { } v) points.Add((time >= 0 ? s.Rows[r][time].GetInt64() / 1e6 : r, v));
                if (points.Count == 0) continue;
                var tags = string.Join(" ", s.Tags.Where(t => t.Key is not ("site")).Select(t => t.Value));
                yield return (tags.Length > 0 ? $"{s.Columns[c]} {tags}" : s.Columns[c], points);
            }
        }
    }

    private static double? Number(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.Number => cell.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => null,
    };

    private static string Lines(IReadOnlyList<InfluxSeries> series, double w, double h, bool steps)
    {
        var all = Numeric(series).Take(Colours.Length).ToList();
        if (all.Count == 0) return "<p>no data</p>";
        double t0 = all.Min(s => s.Points.Min(p => p.T)), t1 = all.Max(s => s.Points.Max(p => p.T));
        double v0 = all.Min(s => s.Points.Min(p => p.V)), v1 = all.Max(s => s.Points.Max(p => p.V));
        if (v1 - v0 < 1e-12) { v0 -= 1; v1 += 1; }
        if (t1 - t0 < 1e-9) t1 = t0 + 1;
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<svg width="{w:F0}" height="{Math.Max(h - 16, 20):F0}">""");
        double ph = Math.Max(h - 20, 16);
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="10" fill="#6e6e7e" font-size="10">{Fmt(v1)}</text><text x="0" y="{ph:F0}" fill="#6e6e7e" font-size="10">{Fmt(v0)}</text>""");
        for (int i = 0; i < all.Count; i++)
        {
            var points = string.Join(' ', all[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{40 + (p.T - t0) / (t1 - t0) * (w - 44):F1},{4 + (1 - (p.V - v0) / (v1 - v0)) * (ph - 8):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{Colours[i]}" stroke-width="1.5" points="{points}"{(steps ? " stroke-linejoin=\"miter\"" : "")}/>""");
        }
        svg.Append("</svg>");
        return svg + Legend(all.Select(a => a.Name));
    }

    private static string Scatter(IReadOnlyList<InfluxSeries> series, double w, double h)
    {
        var rows = series.SelectMany(s => s.Rows.Select(r => (X: Number(r[1]), Y: r.Length > 2 ? Number(r[2]) : null))).Where(p => p.X is not null && p.Y is not null).ToList();
        if (rows.Count == 0) return "<p>no data</p>";
        double x0 = rows.Min(p => p.X!.Value), x1 = rows.Max(p => p.X!.Value), y0 = rows.Min(p => p.Y!.Value), y1 = rows.Max(p => p.Y!.Value);
        if (x1 - x0 < 1e-12) { x0 -= 1; x1 += 1; }
        if (y1 - y0 < 1e-12) { y0 -= 1; y1 += 1; }
        double ph = Math.Max(h - 20, 16);
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<svg width="{w:F0}" height="{ph + 4:F0}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="10" fill="#6e6e7e" font-size="10">{Fmt(y1)}</text><text x="0" y="{ph:F0}" fill="#6e6e7e" font-size="10">{Fmt(y0)}</text><text x="{w - 60:F0}" y="{ph:F0}" fill="#6e6e7e" font-size="10">{Fmt(x0)}…{Fmt(x1)}</text>""");
        foreach (var (x, y) in rows)
            svg.Append(CultureInfo.InvariantCulture, $"""<circle r="2.5" fill="{Colours[0]}" cx="{40 + (x!.Value - x0) / (x1 - x0) * (w - 44):F1}" cy="{4 + (1 - (y!.Value - y0) / (y1 - y0)) * (ph - 8):F1}"/>""");
        svg.Append("</svg>");
        var columns = series.FirstOrDefault()?.Columns ?? [];
        return svg + Legend([columns.Count > 2 ? $"x: {columns[1]}, y: {columns[2]}" : ""]);
    }

    private static string Stat(IReadOnlyList<InfluxSeries> series)
    {
        var values = Numeric(series).Select(s => (s.Name, Last: s.Points[^1].V)).ToList();
        if (values.Count == 0) return "<p>no data</p>";
        return string.Join("", values.Take(4).Select((v, i) => $"""<span class="stat" style="color:{Colours[i % Colours.Length]};margin-right:24px">{Fmt(v.Last)}</span>""")) + Legend(values.Take(4).Select(v => v.Name));
    }

    private static string Table(IReadOnlyList<InfluxSeries> series)
    {
        var first = series.FirstOrDefault();
        if (first is null) return "<p>no data</p>";
        var tagKeys = first.Tags.Keys.Where(k => k != "site").ToList();
        var html = new StringBuilder("<table><tr>");
        foreach (var c in first.Columns.Concat(tagKeys)) html.Append($"<th>{Esc(c)}</th>");
        html.Append("</tr>");
        foreach (var s in series)
            foreach (var row in s.Rows.Take(6))
            {
                html.Append("<tr>");
                for (int c = 0; c < row.Length; c++)
                    html.Append($"<td>{Esc(s.Columns[c] == "time" && row[c].ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(row[c].GetInt64() / 1_000_000).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : CellText(row[c]))}</td>");
                foreach (var k in tagKeys) html.Append($"<td>{Esc(s.Tags.GetValueOrDefault(k))}</td>");
                html.Append("</tr>");
            }
        return html.Append("</table>").ToString();
    }

    private static string CellText(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.Number => Fmt(cell.GetDouble()),
        JsonValueKind.String => cell.GetString() ?? "",
        JsonValueKind.Null => "",
        _ => cell.ToString(),
    };

    private static string Legend(IEnumerable<string> names) =>
        "<div class=\"legend\">" + string.Concat(names.Select((n, i) => $"<span style=\"color:{Colours[i % Colours.Length]}\">▬ {Esc(n)}</span>")) + "</div>";

    private static string Fmt(double v) => Math.Abs(v) >= 1000 ? v.ToString("F0", CultureInfo.InvariantCulture) : v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Esc(string? text) => WebUtility.HtmlEncode(text ?? "");
}
