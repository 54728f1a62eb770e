using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Live;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Curves;

/// <summary>A rig's operating point on its characteristic curve, as measured: a pump's head over flow (pump curve), a
/// hydrogen stack's cell voltage over current (polarisation curve). The points are 10-second means of the window; the
/// curve is fitted to them, so it is the rig's curve as it behaves now, not a datasheet's.</summary>
/// <remarks>Pump: points are brought to the newest speed by the affinity laws (Q ∝ n, H ∝ n²; Gülich, Centrifugal
/// Pumps, 3rd ed., §3.4) and fitted with H = a + b·Q + c·Q². Stacks: V = E + b·ln(i) + r·i, the usual semi-empirical
/// polarisation model with activation (Tafel) and ohmic terms (Larminie &amp; Dicks, Fuel Cell Systems Explained, §3.6);
/// mass-transport losses are left out, so the fit is for the operating range, not for extrapolation.</remarks>
public static class OperatingCurveApi
{
    private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(10);

    /// <summary>Maps <c>GET …/curve</c> in the rig group.</summary>
    public static RouteGroupBuilder MapOperatingCurveApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/curve", CurveAsync).WithName("OperatingCurve").RequireRight(RigRights.Data)
            .WithSummary("A pump's head–flow or a stack's voltage–current points (10 s means over a window, default 1h), the curve fitted to them and the newest operating point.");
        return rig;
    }

    /// <summary>GET …/curve?within=1h</summary>
    public static async Task<IResult> CurveAsync(RigScope scope, string? within, RigDataReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.Within(within, "1h", time.GetUtcNow());
        if (request is null) return SeriesRequest.WithinProblem(within);
        var kind = scope.Entry?.Birth?.Kind;
        try
        {
            return kind switch
            {
                "pump" => TypedResults.Ok(await PumpAsync(scope, request, reader, cancellationToken)),
                "electrolyser" or "fuel-cell" => TypedResults.Ok(await StackAsync(scope, kind, request, reader, cancellationToken)),
                // Not a 404: the rig exists and may be seen; it has no curve of this kind (the answer says so).
                _ => TypedResults.Ok(new CurveView(kind ?? "unknown", "", "", "", "", [], null, null, null, null,
                    $"rig '{scope.Address.Rig}' ({kind ?? "kind not yet announced"}) has no characteristic curve: pumps and hydrogen stacks have one")),
            };
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
    }

    private static async Task<CurveView> PumpAsync(RigScope scope, SeriesRequest request, RigDataReader reader, CancellationToken cancellationToken)
    {
        var rows = await reader.ReadAsync(scope, scope.Visibility.Data,
            new RigSelect(FieldlabSchema.Samples, "mean(\"flow\") AS q, mean(\"discharge_pressure\") AS pd, mean(\"suction_pressure\") AS ps, mean(\"speed\") AS n",
                GroupByTime: Bucket), request.From, request.To, cancellationToken);
        var raw = new List<(double Q, double H, double N)>();
        for (int r = 0; r < rows.Rows.Count; r++)
        {
            if (rows.Number(r, "q") is { } q && rows.Number(r, "pd") is { } pd && rows.Number(r, "ps") is { } ps && rows.Number(r, "n") is { } n && n > 1)
                raw.Add((q, (pd - ps) * 1e5 / (KeyFigures.WaterDensity * KeyFigures.Gravity), n));
        }
        if (raw.Count == 0) return Empty("pump", "flow", "m3/h", "head", "m");
        double speed = raw[^1].N;
        // Affinity laws: every point as it would be at the newest speed.
        var points = raw.Select(p => (X: p.Q * speed / p.N, Y: p.H * Math.Pow(speed / p.N, 2))).ToList();
        var fit = Spread(points) ? QuadraticFit.Fit([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)], [_ => 1, q => q, q => q * q]) : null;
        return Build("pump", "flow", "m3/h", "head", "m", points, fit is null ? null : q => fit[0] + fit[1] * q + fit[2] * q * q,
            fit is null ? null : $"H = {fit[0]:G4} + {fit[1]:G4}·Q + {fit[2]:G4}·Q² at {speed:F0} rpm", speed);
    }

    private static async Task<CurveView> StackAsync(RigScope scope, string kind, SeriesRequest request, RigDataReader reader, CancellationToken cancellationToken)
    {
        var rows = await reader.ReadAsync(scope, scope.Visibility.Data,
            new RigSelect(FieldlabSchema.Samples, "mean(\"current\") AS i, mean(\"cell_voltage\") AS v", GroupByTime: Bucket), request.From, request.To, cancellationToken);
        var points = new List<(double X, double Y)>();
        for (int r = 0; r < rows.Rows.Count; r++)
        {
            if (rows.Number(r, "i") is { } i && rows.Number(r, "v") is { } v && i > 0.1) points.Add((i, v));
        }
        if (points.Count == 0) return Empty(kind, "current", "A", "cell_voltage", "V");
        var fit = Spread(points) ? QuadraticFit.Fit([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)], [_ => 1, i => Math.Log(i), i => i]) : null;
        return Build(kind, "current", "A", "cell_voltage", "V", points, fit is null ? null : i => fit[0] + fit[1] * Math.Log(i) + fit[2] * i,
            fit is null ? null : $"V = {fit[0]:G4} + {fit[1]:G4}·ln(i) + {fit[2]:G4}·i", null);
    }

    // A curve is fitted only over a real spread of operating points (at least 5 % of the largest x, three distinct buckets).
    private static bool Spread(List<(double X, double Y)> points)
    {
        double lo = points.Min(p => p.X), hi = points.Max(p => p.X);
        return points.Select(p => Math.Round(p.X, 3)).Distinct().Count() >= 3 && hi - lo > 0.05 * Math.Abs(hi);
    }

    private static CurveView Empty(string kind, string x, string xUnit, string y, string yUnit) =>
        new(kind, x, xUnit, y, yUnit, [], null, null, null, null, "no operating points in the window yet");

    private static CurveView Build(string kind, string x, string xUnit, string y, string yUnit, List<(double X, double Y)> points, Func<double, double>? curve, string? formula, double? speed)
    {
        CurveLine? line = null;
        if (curve is not null)
        {
            double lo = points.Min(p => p.X), hi = points.Max(p => p.X);
            var xs = Enumerable.Range(0, 41).Select(k => lo + (hi - lo) * k / 40).ToList();
            line = new CurveLine(xs, [.. xs.Select(curve)]);
        }
        return new CurveView(kind, x, xUnit, y, yUnit, [.. points.Select(p => new[] { p.X, p.Y })], line, new[] { points[^1].X, points[^1].Y }, formula, speed,
            curve is null ? "too little spread of operating points to fit a curve: vary the load or the valve" : null);
    }
}

/// <summary>Operating points, the fitted curve and the newest point.</summary>
public sealed record CurveView(string Kind, string X, string XUnit, string Y, string YUnit, IReadOnlyList<double[]> Points, CurveLine? Curve,
    double[]? Current, string? Formula, double? SpeedRpm, string? Note);

/// <summary>A fitted curve sampled over the measured range.</summary>
public sealed record CurveLine(IReadOnlyList<double> X, IReadOnlyList<double> Y);
