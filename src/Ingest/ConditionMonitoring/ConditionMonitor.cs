using System.Collections.Concurrent;
using System.Threading.Channels;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>Runs the condition-monitoring models on what ingest has stored, beside (never in) the storing loop: it
/// takes copies of live rows and frames from a bounded queue, keeps one model per rig stream, writes the models'
/// points to InfluxDB about once a second, and publishes alerts on <c>fieldlab/{site}/{rig}/alerts</c>.</summary>
/// <remarks>Storage never waits for the models: when the queue is full, new inputs are dropped and counted
/// (<see cref="Dropped"/>). Only the live lane feeds the models; backlog (old data) would raise stale alerts. With
/// several ingest replicas each sees only its share of a rig's messages; run condition monitoring on one replica
/// (see docs/scaling.md). Alerts are also stored (measurement <c>alerts</c>) so the API can list them.</remarks>
public sealed partial class ConditionMonitor(
    IOptions<ConditionMonitoringOptions> options,
    IOptions<MqttConnectionOptions> mqtt,
    InfluxClient influx,
    TimeProvider time,
    ILogger<ConditionMonitor> logger) : BackgroundService
{
    private static readonly Measurement Output = FieldlabSchema.Alerts;

    private readonly ConditionMonitoringOptions _options = options.Value;
    private readonly Channel<ModelInput> _inputs = Channel.CreateBounded<ModelInput>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<RebaselineRequest> _control = Channel.CreateUnbounded<RebaselineRequest>();
    private readonly Dictionary<(RigAddress, string), ProcessAnomalyModel> _process = [];
    private readonly Dictionary<(RigAddress, string), BearingModel> _bearings = [];
    private readonly Dictionary<(RigAddress, string), EnergyModel> _energy = [];
    private readonly Dictionary<RigAddress, double> _shaftHz = [];
    private readonly ConcurrentDictionary<string, ModelStatus> _status = new(StringComparer.Ordinal);
    private readonly LineProtocolWriter _points = new();
    private long _dropped, _alertsPublished;

    /// <summary>Inputs dropped because the models were behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Alerts published since start.</summary>
    public long AlertsPublished => Interlocked.Read(ref _alertsPublished);

    /// <summary>Whether rigs of this kind have any model (so the consuming loop copies nothing for the others).</summary>
    public bool Wants(string kind) => _options.Enabled && (_options.ProcessKinds.Contains(kind) || _options.VibrationKinds.Contains(kind) || _options.EnergyKinds.Contains(kind));

    /// <summary>Whether waveforms of this kind are analysed.</summary>
    public bool WantsVibration(string kind) => _options.Enabled && _options.VibrationKinds.Contains(kind);

    /// <summary>Offers an input without waiting; false (and counted) when the models are behind.</summary>
    public bool Offer(ModelInput input)
    {
        if (_inputs.Writer.TryWrite(input)) return true;
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Asks for new baselines of every model of a rig (taken in order with the data).</summary>
    public void Rebaseline(RigAddress rig) => _control.Writer.TryWrite(new RebaselineRequest(rig));

    /// <summary>The state of every model, for the <c>/models</c> endpoint.</summary>
    public IReadOnlyList<ModelStatus> Status() => [.. _status.Values.OrderBy(s => s.Site).ThenBy(s => s.Rig).ThenBy(s => s.Stream)];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        // Alerts are notices of the moment: a clean session, nothing queued for a restarted monitor.
        var alertOptions = mqtt.Value.ForConnection("-models");
        alertOptions.CleanSession = true;
        await using var connection = MqttConnection.Start(alertOptions, logger);
        var alerts = new List<(RigAddress Rig, RigAlert Alert)>();
        long lastFlush = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await Task.WhenAny(_inputs.Reader.WaitToReadAsync(wait.Token).AsTask(), _control.Reader.WaitToReadAsync(wait.Token).AsTask());
                    await wait.CancelAsync();
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // A quiet second: flush below.
                }
            }
            while (_control.Reader.TryRead(out var request)) ApplyRebaseline(request.Rig);
            for (int i = 0; i < 256 && _inputs.Reader.TryRead(out var input); i++)
            {
                try
                {
                    Handle(input, alerts);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
                {
                    // One rig's bad numbers must not stop the models of the others.
                    LogModelFailed(input.Rig.ToString(), e.Message);
                }
            }
            foreach (var (rig, alert) in alerts) await PublishAsync(connection, rig, alert, stoppingToken);
            alerts.Clear();
            if (_points.PointCount > 0 && (time.GetElapsedTime(lastFlush) >= TimeSpan.FromSeconds(1) || _points.Length > 1 << 20))
            {
                await FlushAsync(stoppingToken);
                lastFlush = time.GetTimestamp();
            }
        }
    }

    private void Handle(ModelInput input, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        switch (input)
        {
            case ScalarRows rows:
                int speed = Array.IndexOf(rows.Sensors, _options.SpeedSensor);
                if (speed >= 0)
                    for (int r = rows.Rows.Length - 1; r >= 0; r--)
                        if (double.IsFinite(rows.Rows[r][speed]) && rows.Rows[r][speed] > 0) { _shaftHz[rows.Rig] = rows.Rows[r][speed] / 60; break; }
                if (_options.EnergyKinds.Contains(rows.Kind) && EnergyModel.Required(rows.Kind) is { } required && required.All(rows.Sensors.Contains))
                {
                    if (_energy.TryGetValue((rows.Rig, rows.Stream), out var stale) && !stale.Sensors.SequenceEqual(rows.Sensors)) _energy.Remove((rows.Rig, rows.Stream));
                    var energy = Model(_energy, rows.Rig, rows.Stream, () => new EnergyModel(rows.Rig, rows.Kind, rows.Stream, rows.Sensors, _options.Energy));
                    energy.Observe(rows, _points, alerts);
                    _status[Key(rows.Rig, rows.Stream) + "/energy"] = new ModelStatus(rows.Rig.Site, rows.Rig.Rig, rows.Stream, "energy", energy.State, energy.BaselineProgress, _options.Energy.BaselinePeriods);
                }
                if (!_options.ProcessKinds.Contains(rows.Kind)) return;
                var process = Model(_process, rows.Rig, rows.Stream, () => new ProcessAnomalyModel(rows.Rig, rows.Stream, _options));
                process.Observe(rows, _points, alerts);
                _status[Key(rows.Rig, rows.Stream)] = new ModelStatus(rows.Rig.Site, rows.Rig.Rig, rows.Stream, "anomaly", process.State, process.BaselineProgress, _options.BaselineRows);
                break;
            case VibrationFrame frame when _options.VibrationKinds.Contains(frame.Kind):
                var bearing = Model(_bearings, frame.Rig, frame.Frame.Stream, () => new BearingModel(frame.Rig, frame.Frame.Stream, _options));
                bearing.Observe(frame.Frame, _shaftHz.TryGetValue(frame.Rig, out var hz) ? hz : null, _points, alerts);
                _status[Key(frame.Rig, frame.Frame.Stream)] = new ModelStatus(frame.Rig.Site, frame.Rig.Rig, frame.Frame.Stream, "bearing", bearing.State, bearing.BaselineProgress, _options.BaselineWindows);
                break;
        }
    }

    private void ApplyRebaseline(RigAddress rig)
    {
        foreach (var ((address, _), model) in _process) if (address == rig) model.Rebaseline();
        foreach (var ((address, _), model) in _bearings) if (address == rig) model.Rebaseline();
        foreach (var ((address, _), model) in _energy) if (address == rig) model.Rebaseline();
        LogRebaselined(rig.ToString());
    }

    private async Task PublishAsync(MqttConnection connection, RigAddress rig, RigAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(alert.State, alert.Id, alert.Summary);
        _points.BeginPoint(Output.LineName).Tag(Output.Tag("id"), alert.Id).Tag(FieldlabSchema.Tags.Rig, rig.Rig).Tag(FieldlabSchema.Tags.Site, rig.Site)
            .Field(Output.FieldKey("state"), alert.State).Field(Output.FieldKey("kind"), alert.Kind).Field(Output.FieldKey("summary"), alert.Summary)
            .Field(Output.FieldKey("defect"), alert.Defect ?? "").Field(Output.FieldKey("sensors"), string.Join(',', alert.Sensors ?? [])).Field(Output.FieldKey("score"), alert.Score).Field(Output.FieldKey("limit"), alert.Limit)
            .EndPoint(UtcTimestamp.ToNanoseconds(time.GetUtcNow()));
        try
        {
            // Counted once the broker has it, not when queued.
            await connection.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Alerts), WireJson.Encode(alert), MqttQos.AtLeastOnce, retain: false, cancellationToken);
            Interlocked.Increment(ref _alertsPublished);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            LogAlertNotPublished(alert.Id, e.Message);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await influx.WriteAsync(_points.WrittenMemory, cancellationToken);
            _points.Clear();
        }
        catch (InfluxException e)
        {
            LogWriteFailed(e.Message);
            // Model outputs can be recomputed from the stored data; keep at most 8 MiB waiting for the database.
            if (_points.Length > 8 << 20) _points.Clear();
        }
    }

    private static TModel Model<TModel>(Dictionary<(RigAddress, string), TModel> models, RigAddress rig, string stream, Func<TModel> create)
    {
        if (!models.TryGetValue((rig, stream), out var model)) models[(rig, stream)] = model = create();
        return model;
    }

    private static string Key(RigAddress rig, string stream) => $"{rig.Site}/{rig.Rig}/{stream}";

    [LoggerMessage(2101, LogLevel.Warning, "Condition monitoring of {Rig} skipped an input: {Reason}")]
    private partial void LogModelFailed(string rig, string reason);

    [LoggerMessage(2102, LogLevel.Information, "Alert {State}: {Id}: {Summary}")]
    private partial void LogAlert(string state, string id, string summary);

    [LoggerMessage(2103, LogLevel.Warning, "Alert {Id} not published: {Reason}")]
    private partial void LogAlertNotPublished(string id, string reason);

    [LoggerMessage(2104, LogLevel.Warning, "Model points not written: {Reason}")]
    private partial void LogWriteFailed(string reason);

    [LoggerMessage(2105, LogLevel.Information, "New baselines requested for {Rig}.")]
    private partial void LogRebaselined(string rig);
}

/// <summary>The state of one model of one rig stream.</summary>
/// <param name="Site">Site id.</param>
/// <param name="Rig">Rig id.</param>
/// <param name="Stream">Stream id.</param>
/// <param name="Model"><c>anomaly</c> or <c>bearing</c>.</param>
/// <param name="State">settling, baselining, waiting for speed, monitoring or alarm.</param>
/// <param name="BaselineProgress">Rows or windows collected towards the baseline.</param>
/// <param name="BaselineTarget">Rows or windows the baseline needs.</param>
public sealed record ModelStatus(string Site, string Rig, string Stream, string Model, string State, int BaselineProgress, int BaselineTarget);
