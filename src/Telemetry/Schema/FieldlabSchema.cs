namespace Fieldlab.Telemetry.Schema;

/// <summary>The InfluxDB schema of Fieldlab, defined once: every measurement ingest writes and the API, the datasets
/// and the dashboards read, with its retention policy, tags and fields (docs/telemetry.md, "InfluxDB schema", shows
/// this table and a test keeps the two equal).</summary>
public static class FieldlabSchema
{
    /// <summary>Tag keys shared by the measurements.</summary>
    public static class Tags
    {
        /// <summary>The site a rig belongs to.</summary>
        public const string Site = "site";

        /// <summary>The rig within its site.</summary>
        public const string Rig = "rig";

        /// <summary>The stream of a rig (its birth's stream id).</summary>
        public const string Stream = "stream";

        /// <summary>The axis of a waveform stream.</summary>
        public const string Axis = "axis";

        /// <summary>The ingest instance (its MQTT client id).</summary>
        public const string Ingest = "ingest";
    }

    /// <summary>The database's default policy: kept for good (a lab keeps its recordings and model outputs).</summary>
    public static readonly RetentionPolicy DefaultRetentionPolicy = new("autogen", null, "the database's default: model outputs, alerts, truth, health, rejects, statistics; kept for good");

    /// <summary>Raw waveform frames (<c>Ingest:WaveformRetention</c>, 1 hour by default).</summary>
    public static readonly RetentionPolicy WaveformRaw = new("waveform_raw", TimeSpan.FromHours(1), "raw waveform frames; `Ingest:WaveformRetention`");

    /// <summary>Raw samples (<c>Ingest:SamplesRetention</c>, 30 days by default).</summary>
    public static readonly RetentionPolicy SamplesRaw = new("samples_raw", TimeSpan.FromDays(30), "raw samples; `Ingest:SamplesRetention`");

    /// <summary>1-minute aggregates (<c>Ingest:MinuteMeansRetention</c>, 2 years by default).</summary>
    public static readonly RetentionPolicy Means1m = new("means_1m", TimeSpan.FromDays(730), "1-minute aggregates of samples and energy; `Ingest:MinuteMeansRetention`");

    /// <summary>1-hour aggregates (<c>Ingest:HourMeansRetention</c>, for good by default).</summary>
    public static readonly RetentionPolicy Means1h = new("means_1h", null, "1-hour aggregates of samples and energy; `Ingest:HourMeansRetention`");

    private static readonly string[] RigTags = [Tags.Site, Tags.Rig];
    private static readonly string[] StreamTags = [Tags.Site, Tags.Rig, Tags.Stream];
    private static readonly string[] AxisTags = [Tags.Site, Tags.Rig, Tags.Stream, Tags.Axis];
    private static readonly SchemaField Seq = I("seq", "the row's (or frame's) sequence number in its stream");

    /// <summary>One row of a scalar stream: one float per sensor.</summary>
    /// <remarks>Samples written before they had their own policy are in the default one, kept, and read with them.</remarks>
    public static readonly Measurement Samples = new("samples", SamplesRaw, StreamTags,
        [F("{sensor}", "one float per sensor, named by the sensor id, in the sensor's unit"), Seq], "the row's t, ns", "one row of a scalar stream",
        alsoReadFrom: [DefaultRetentionPolicy]);

    /// <summary>A quarantined message.</summary>
    public static readonly Measurement Rejects = new("rejects", DefaultRetentionPolicy, [Tags.Site, Tags.Rig, "reason", Tags.Ingest],
        [S("topic", "the MQTT topic"), S("detail", "why it was refused"), S("excerpt", "the start of the payload"), I("bytes", "payload size"),
         I("rows", "rows refused"), S("seqs", "the refused sequence numbers, comma-separated")],
        "when received, ns", "one quarantined message; rig and site `_unknown` when the topic named none");

    /// <summary>A chunk of a raw waveform frame.</summary>
    public static readonly Measurement Waveform = new("waveform", WaveformRaw, AxisTags,
        [S("data", "base64 little-endian float32, at most 8192 samples"), I("count", "samples in data"), Seq, F("rate_hz", "sample rate, Hz"), S("unit", "the axis' unit")],
        "first sample, ns", "one axis of a waveform frame (long frames in chunks)");

    /// <summary>Per-frame statistics of a waveform axis.</summary>
    public static readonly Measurement WaveformFeatures = new("waveform_features", DefaultRetentionPolicy, AxisTags,
        [F("rms", "RMS"), F("peak", "peak |x|"), F("p2p", "peak to peak"), F("crest", "crest factor"), F("kurtosis", "kurtosis"), F("skewness", "skewness"), Seq],
        "frame start, ns", "statistics of one frame of one axis, in the axis' unit");

    /// <summary>What really happened: a staged or recorded fault.</summary>
    public static readonly Measurement FaultTruth = new("fault_truth", DefaultRetentionPolicy, [Tags.Site, Tags.Rig, "fault"],
        [S("action", "start, stop or set"), F("severity", "0..1"), F("progression_per_hour", "severity growth per hour"), S("source", "who staged it"),
         S("command_id", "the fault command, or empty"), Seq],
        "event, ns", "one ground-truth event");

    /// <summary>A gateway's health report.</summary>
    public static readonly Measurement GatewayHealth = new("gateway_health", DefaultRetentionPolicy, RigTags,
        [B("connected", "connected to the broker"), I("unconfirmed_rows", "rows sent, not yet confirmed stored"), I("buffered_bytes", "bytes in the gateway's buffer"),
         I("backlog_rows", "rows waiting in the backlog"), I("published_rows", "rows published"), I("confirmed_rows", "rows confirmed stored"),
         I("dropped_rows", "rows dropped"), I("resends", "batches sent again"), F("oldest_unconfirmed_s", "age of the oldest unconfirmed row, s")],
        "report, ns", "one health report of a rig's gateway");

    /// <summary>The multivariate anomaly model's verdict on one row of a scalar stream.</summary>
    public static readonly Measurement Anomaly = new("anomaly", DefaultRetentionPolicy, StreamTags,
        [F("score", "anomaly score"), F("limit", "the limit it is held against"), B("anomalous", "score above limit"), B("alarm", "the alarm (with hysteresis) is raised"),
         S("top_sensors", "the sensors that contribute most, comma-separated"), F("share_{sensor}", "the sensor's share of the score, 0..1")],
        "the row's t, ns", "one scored row");

    /// <summary>The vibration features of one window of one axis (docs/models.md).</summary>
    public static readonly Measurement VibrationFeatures = new("vibration_features", DefaultRetentionPolicy, AxisTags,
        [.. new[] { "rms", "peak", "p2p", "crest", "kurtosis", "skewness", "shape", "impulse",
            "band0", "band1", "band2", "band3", "band4", "band5", "band6", "band7", "shaft_1x", "shaft_2x",
            "env_bpfo", "env_bpfi", "env_bsf", "env_ftf", "env_2xbpfo", "env_2xbpfi", "env_2xbsf", "env_2xftf" }.Select(n => F(n, "a feature of docs/models.md")),
         F("velocity_rms_mm_s", "RMS velocity 10–1000 Hz, mm/s (ISO 20816)"), S("iso_zone", "ISO 20816 zone A–D"), F("shaft_hz", "shaft frequency, Hz")],
        "window start, ns", "features of one window of one axis");

    /// <summary>The bearing model's verdict on one window.</summary>
    public static readonly Measurement BearingHealth = new("bearing_health", DefaultRetentionPolicy, StreamTags,
        [F("score", "the worst axis' score"), F("limit", "its limit"), B("alarm", "the alarm (with hysteresis) is raised"), S("axis", "the worst axis"),
         S("defect", "the most likely defect"), F("outer_race", "z-score"), F("inner_race", "z-score"), F("ball", "z-score"), F("cage", "z-score")],
        "window start, ns", "one scored window");

    /// <summary>Energy KPIs of one period (10 s) of a scalar stream.</summary>
    public static readonly Measurement Energy = new("energy", DefaultRetentionPolicy, StreamTags,
        [F("energy_kw", "mean electrical power, kW"),
         F("hydraulic_kw", "pump: hydraulic power, kW"), F("wire_to_water", "pump: hydraulic / electrical"), F("specific_energy_kwh_m3", "pump: kWh/m³"),
         F("bep_flow_m3h", "pump: best-efficiency flow, m³/h"), F("bep_efficiency", "pump: efficiency at BEP"), F("distance_from_bep", "pump: relative distance from BEP"),
         F("savings_kwh_per_year", "pump: saving at BEP, kWh/year"), F("savings_cost_per_year", "pump: saving at BEP, per year"),
         F("speed_ratio_open_valve", "throttled pump: speed ratio with the valve open"), F("speed_savings_kwh_per_year", "throttled pump: saving by speed, kWh/year"),
         F("speed_savings_cost_per_year", "throttled pump: saving by speed, per year"),
         F("input_kw", "motor: input power, kW"), F("load", "motor: load, 0..1"), F("efficiency", "motor: efficiency"), S("ie_class", "motor: IEC 60034-30-1 class"),
         F("sec_kwh_per_kg", "electrolyser: kWh/kg H2"), F("voltage_efficiency_hhv", "electrolyser: voltage efficiency, HHV"), F("faraday_efficiency", "electrolyser: Faraday efficiency"),
         F("efficiency_lhv", "fuel cell: efficiency, LHV"), F("efficiency_hhv", "fuel cell: efficiency, HHV"),
         F("drift_uv_per_h", "stack: voltage drift, µV/h"), F("rul_h", "stack: remaining useful life, h"),
         F("expected_kw", "after the baseline: expected power, kW"), F("enpi", "after the baseline: EnPI (ISO 50006)"), F("cusum_kwh", "after the baseline: CUSUM, kWh")],
        "period start, ns", "one period's energy KPIs (the fields a rig's kind has)");

    /// <summary>An alert raised or cleared by the condition monitor.</summary>
    public static readonly Measurement Alerts = new("alerts", DefaultRetentionPolicy, [Tags.Site, Tags.Rig, "id"],
        [S("state", "raised or cleared"), S("kind", "bearing, anomaly, energy or rul"), S("summary", "one sentence for people"), S("defect", "bearing: the defect, or empty"),
         S("sensors", "the sensors or axis that drove it, comma-separated"), F("score", "the model's score"), F("limit", "its limit")],
        "when published, ns", "one alert state change");

    /// <summary>Ingest's own statistics.</summary>
    public static readonly Measurement IngestStats = new("ingest_stats", DefaultRetentionPolicy, [Tags.Ingest],
        [F("rows_per_s", "rows stored per s"), F("messages_per_s", "messages per s"), F("rejected_rows_per_s", "rows refused per s"), F("batch_points_avg", "points per write"),
         F("lag_p50_ms", "row time to stored, median, ms"), F("lag_p99_ms", "row time to stored, 99th percentile, ms"),
         F("write_latency_p50_ms", "write latency, median, ms"), F("write_latency_p99_ms", "write latency, 99th percentile, ms"), I("write_failures", "failed writes since start"),
         I("parked", "messages waiting for a birth"), B("paused", "consuming paused (spool full)"), I("quarantined", "messages in quarantine"),
         I("receive_backlog", "messages received, not yet handled"), I("spool_batches", "batches in the spool"), I("spool_bytes", "bytes in the spool")],
        "report, ns", "one report of an ingest instance (every `Ingest:StatsInterval`)");

    /// <summary>1-minute aggregates of the samples.</summary>
    public static readonly Downsampling SamplesPerMinute = new(Samples, Means1m, TimeSpan.FromMinutes(1));

    /// <summary>1-hour aggregates of the samples.</summary>
    public static readonly Downsampling SamplesPerHour = new(Samples, Means1h, TimeSpan.FromHours(1));

    /// <summary>1-minute aggregates of the energy KPIs.</summary>
    public static readonly Downsampling EnergyPerMinute = new(Energy, Means1m, TimeSpan.FromMinutes(1));

    /// <summary>1-hour aggregates of the energy KPIs.</summary>
    public static readonly Downsampling EnergyPerHour = new(Energy, Means1h, TimeSpan.FromHours(1));

    /// <summary>Every continuous query Fieldlab keeps.</summary>
    public static IReadOnlyList<Downsampling> Downsamplings { get; } = [SamplesPerMinute, SamplesPerHour, EnergyPerMinute, EnergyPerHour];

    /// <summary>Every retention policy Fieldlab uses.</summary>
    public static IReadOnlyList<RetentionPolicy> RetentionPolicies { get; } = [DefaultRetentionPolicy, SamplesRaw, WaveformRaw, Means1m, Means1h];

    /// <summary>Every measurement, in the order docs/telemetry.md lists them.</summary>
    public static IReadOnlyList<Measurement> Measurements { get; } =
        [Samples, Rejects, Waveform, WaveformFeatures, FaultTruth, GatewayHealth, Anomaly, VibrationFeatures, BearingHealth, Energy, Alerts, IngestStats,
         SamplesPerMinute.Target, SamplesPerHour.Target, EnergyPerMinute.Target, EnergyPerHour.Target];

    /// <summary>The measurement <paramref name="name"/> in <paramref name="retentionPolicy"/> (null or <c>autogen</c>: the
    /// default policy), or null when the schema has none.</summary>
    public static Measurement? Find(string name, string? retentionPolicy = null)
    {
        var rp = string.IsNullOrEmpty(retentionPolicy) ? DefaultRetentionPolicy.Name : retentionPolicy;
        return Measurements.FirstOrDefault(m => m.Name == name && m.RetentionPolicy.Name == rp);
    }

    private static SchemaField F(string name, string description) => new(name, FieldKind.Float, description);

    private static SchemaField I(string name, string description) => new(name, FieldKind.Integer, description);

    private static SchemaField S(string name, string description) => new(name, FieldKind.String, description);

    private static SchemaField B(string name, string description) => new(name, FieldKind.Boolean, description);
}
