using System.Security.Cryptography;
using System.Text;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Data;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Datasets;

/// <summary>Freezes a dataset: checks the selection against the caller's rights (a rig the caller may not see is
/// "unknown", as everywhere), copies the samples of the caller's data windows out of InfluxDB in one streaming pass
/// into samples.csv, samples.parquet and one replay file per stream, writes the Frictionless manifest and a README,
/// commits the folder atomically and read-only, and records the version. The copy is what the database held when
/// frozen; it never changes afterwards.</summary>
public sealed class DatasetFreezer(MetadataDb db, RigPolicy policy, RigDirectory directory, RigDataReader reader, RecordedLabels recorded, StoredThroughBook stored, DatasetQuota quota,
    IOptions<DatasetOptions> options, TimeProvider time)
{
    /// <summary>The result of a freeze: the record, or a refusal (HTTP status and sentence, or field errors).</summary>
    public sealed record Outcome(DatasetRecord? Dataset, IReadOnlyList<DatasetFile>? Files, int Status, string? Problem, Dictionary<string, string[]>? Errors);

    /// <summary>Freezes <paramref name="request"/> for <paramref name="caller"/>.</summary>
    public async Task<Outcome> FreezeAsync(Caller caller, FreezeRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var rigs = request.Rigs?.Select(r => r.Trim()).ToList() ?? [];
        if (string.IsNullOrEmpty(request.Site) || !WireNames.IsValidSegment(request.Site)) errors["site"] = ["a site id"];
        if (rigs.Count == 0) errors["rigs"] = ["at least one rig"];
        else if (rigs.Count > settings.MaxRigs) errors["rigs"] = [$"at most {settings.MaxRigs} rigs"];
        else if (rigs.Distinct(StringComparer.Ordinal).Count() != rigs.Count) errors["rigs"] = ["each rig once"];
        else if (rigs.FirstOrDefault(r => !WireNames.IsValidSegment(r)) is { } bad) errors["rigs"] = [$"'{bad}' is not a rig id"];
        var from = ParseTime(request.From, now, "from", errors);
        var to = ParseTime(request.To, now, "to", errors);
        if (from is { } f && to is { } t)
        {
            if (t <= f) errors["to"] = ["after from (the range is [from, to))"];
            else if (t - f > settings.MaxRange) errors["to"] = [$"at most {settings.MaxRange.TotalDays:0.#} days after from (freeze longer runs as several datasets)"];
        }
        var handLabels = from is { } lf && to is { } lt ? HandLabels.Check(request.Labels, rigs, lf, lt, now, errors) : [];
        var parts = DatasetParts.Check(request.Parts, errors);
        if (errors.Count > 0) return new Outcome(null, null, 400, null, errors);

        // Every rig must be one the caller may read now; the data copied are those of its data windows.
        var sources = new List<(RigAddress Rig, RigVisibility Visibility, RigBirth Birth)>();
        foreach (var rig in rigs)
        {
            var address = new RigAddress(request.Site!, rig);
            var facts = await RigFactsQuery.LoadAsync(db, address, cancellationToken);
            var visibility = facts is null ? RigVisibility.None : policy.Evaluate(caller, facts, now.UtcDateTime);
            if (!visibility.Status) return new Outcome(null, null, 404, $"No rig '{rig}' at site '{request.Site}'.", null);
            if (!visibility.Allows(RigRights.Data)) return new Outcome(null, null, 403, $"You may not read the data of {address}.", null);
            if (!directory.TryGet(address, out var entry) || entry.Birth is null)
                return new Outcome(null, null, 409, $"{address} has not announced its sensors since the API started (no birth message): its columns are unknown.", null);
            sources.Add((address, visibility, entry.Birth));
        }
        if (DatasetPartsWriter.Refusal(parts, sources.Select(s => s.Birth)) is { } noPart) return new Outcome(null, null, 400, null, new() { ["parts"] = [noPart] });
        // Complete, or refused: every selected rig must be stored through the end of the range (ingest's watermark).
        if (stored.Refusal(sources.Select(s => (s.Rig, s.Birth)), to!.Value, parts.Contains(DatasetParts.Waveforms)) is { } incomplete) return new Outcome(null, null, 409, incomplete, null);
        // Columns: time, rig, stream, then each sensor once — named {rig}.{sensor} where two rigs use one name with different units.
        var wanted = request.Sensors?.Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        var all = sources.SelectMany(s => s.Birth.Streams.Where(x => !x.IsWaveform).SelectMany(x => x.Sensors.Select(sensor => (s.Rig.Rig, Stream: x, Sensor: sensor)))).ToList();
        if (wanted is { Count: > 0 } && wanted.FirstOrDefault(w => all.All(a => a.Sensor.Id != w)) is { } unknown)
            return new Outcome(null, null, 400, null, new() { ["sensors"] = [$"no rig of the selection has a sensor '{unknown}'"] });
        var chosen = all.Where(a => wanted is not { Count: > 0 } || wanted.Contains(a.Sensor.Id)).ToList();
        var clashing = chosen.GroupBy(a => a.Sensor.Id).Where(g => g.Select(a => a.Sensor.Unit).Distinct().Count() > 1).Select(g => g.Key).ToHashSet();
        string ColumnName((string Rig, StreamSpec Stream, SensorSpec Sensor) a) => clashing.Contains(a.Sensor.Id) ? $"{a.Rig}.{a.Sensor.Id}" : a.Sensor.Id;
        var columns = new List<DatasetColumn> { new("time", "datetime", null, "sample time, UTC (RFC 3339, ns)"), new("rig", "string", null, "rig id"), new("stream", "string", null, "stream id") };
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in chosen)
        {
            var name = ColumnName(a);
            if (index.ContainsKey(name)) continue;
            index[name] = columns.Count - 3;
            columns.Add(new DatasetColumn(name, "number", a.Sensor.Unit, a.Sensor.Description));
        }
        var spec = new DatasetTableSpec("samples", columns);

        var key = SelectionKey(request.Site!, rigs, from!.Value, to!.Value, wanted, parts);
        var previous = await db.Datasets.AsNoTracking().Where(d => d.SelectionKey == key).OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        var id = previous?.Id ?? $"ds-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        int version = (previous?.Version ?? 0) + 1;
        var frozenAt = time.GetUtcNow();
        var description = new DatasetDescription(id, version, request.Title ?? $"{request.Site}: {string.Join(", ", rigs)}", request.Site!,
            [.. sources.Select(s => new DatasetRig(s.Rig.Rig, s.Birth.Kind, s.Birth.Description,
                [.. s.Birth.Streams.Where(x => !x.IsWaveform).Select(x => new DatasetStream(x.Id, x.RateHz,
                    [.. x.Sensors.Where(sensor => chosen.Any(c => c.Rig == s.Rig.Rig && c.Sensor.Id == sensor.Id)).Select(sensor => columns[3 + index[ColumnName((s.Rig.Rig, x, sensor))]])]))]))],
            from.Value, to.Value, caller.UserName, frozenAt, "CC-BY-4.0", request.HideLabels) { Parts = parts };

        var owner = DatasetQuota.OwnerOf(caller, request.Site!);
        long limit = quota.LimitOf(owner), used = await quota.UsedAsync(owner, cancellationToken);
        if (used >= limit) return new Outcome(null, null, 507, $"The datasets of {owner} take {used / 1048576.0:0.#} MiB of its {limit / 1048576.0:0.#} MiB quota (Datasets:QuotaMegabytes); delete old ones or ask the operator for more.", null);

        IReadOnlyList<DatasetFile> files = [];
        int labelCount = 0;
        var store = new DatasetDirectory(settings.Directory);
        try
        {
            await store.CommitAsync(id, version, async (folder, ct) =>
            {
                var replay = new Dictionary<(string Rig, string Stream), ReplayHeader>();
                var readers = new List<SampleSource>();
                foreach (var (rig, visibility, birth) in sources)
                {
                    foreach (var stream in birth.Streams.Where(x => !x.IsWaveform))
                    {
                        var sensors = stream.Sensors.Where(sensor => chosen.Any(c => c.Rig == rig.Rig && c.Sensor.Id == sensor.Id)).ToList();
                        if (sensors.Count == 0) continue;
                        replay[(rig.Rig, stream.Id)] = new ReplayHeader(rig.Site, rig.Rig, stream.Id, birth.Kind, [.. sensors.Select(x => x.Id)], [.. sensors.Select(x => x.Unit)])
                        {
                            Columns = [.. sensors.Select(x => ColumnName((rig.Rig, stream, x)))],
                        };
                        readers.Add(new SampleSource(reader, rig, visibility.Data, stream, [.. sensors.Select(x => x.Id)],
                            [.. sensors.Select(x => index[ColumnName((rig.Rig, stream, x))])], columns.Count - 3, from.Value, to.Value));
                    }
                }
                await using var writer = new SamplesTableWriter(folder, spec, replay);
                // A k-way merge in (time, rig, stream) order; one page per source in memory.
                while (true)
                {
                    SampleSource? next = null;
                    SampleRow best = default;
                    foreach (var source in readers)
                    {
                        if (await source.PeekAsync(ct) is not { } row) continue;
                        if (next is null || Compare(row, best) < 0) { next = source; best = row; }
                    }
                    if (next is null) break;
                    await writer.WriteAsync(next.Take(), ct);
                }
                var samplesFiles = await writer.CompleteAsync(ct);
            var partFiles = await DatasetPartsWriter.WriteAsync(reader, parts, sources, from.Value, to.Value, folder, ct);
                var labels = new List<LabelRow>(handLabels!);
                foreach (var (rig, visibility, _) in sources) labels.AddRange(await recorded.ReadAsync(rig, visibility, from.Value, to.Value, ct));
                labelCount = labels.Count;
                // Hidden labels are kept for scoring in a folder no download can name; they are then no resource of the package.
                if (request.HideLabels)
                {
                    var hidden = Directory.CreateDirectory(Path.Combine(folder, LabelsFile.HiddenFolder)).FullName;
                    await LabelsFile.WriteAsync(hidden, labels, ct);
                files = [.. samplesFiles, .. partFiles];
                }
                else
                {
                files = [.. samplesFiles, await LabelsFile.WriteAsync(folder, labels, ct), .. partFiles];
                }
                await File.WriteAllTextAsync(Path.Combine(folder, "datapackage.json"), DataPackageManifest.Render(description, spec, files), ct);
                await File.WriteAllTextAsync(Path.Combine(folder, "README.md"), DatasetReadme.Render(description, files), ct);
                if (used + DatasetQuota.SizeOf(folder) > limit)
                    throw new DatasetQuotaExceededException($"This dataset ({DatasetQuota.SizeOf(folder) / 1048576.0:0.#} MiB) would take {owner} over its {limit / 1048576.0:0.#} MiB quota ({used / 1048576.0:0.#} MiB used); nothing was kept.");
            }, cancellationToken);
        }
        catch (DatasetQuotaExceededException e)
        {
            return new Outcome(null, null, 507, e.Message, null);
        }

        var samples = files.First(f => f.Name == "samples.csv");
        var record = new DatasetRecord
        {
            Id = id, Version = version, SelectionKey = key, SiteId = request.Site!, Rigs = string.Join(',', rigs), Sensors = string.Join(',', (IEnumerable<string>?)wanted?.Order(StringComparer.Ordinal) ?? []),
            From = from.Value.UtcDateTime, To = to.Value.UtcDateTime, FrozenBy = caller.UserName, OrganisationId = caller.Role == Role.CompanyMember ? caller.OrganisationId : null,
            FrozenAt = frozenAt.UtcDateTime, Rows = samples.Rows, SamplesSha256 = samples.Sha256, Bytes = files.Sum(x => x.Bytes),
            LabelsHidden = request.HideLabels, Labels = labelCount, Parts = string.Join(',', parts),
        };
        db.Datasets.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = frozenAt.UtcDateTime, Actor = caller.UserName, ActorRole = caller.Role.ToString(), Action = "dataset.freeze", SiteId = record.SiteId,
            Target = $"{id} v{version}", Detail = $"rigs={record.Rigs} from={UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(from.Value))} to={UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(to.Value))} rows={record.Rows} labels={labelCount}{(request.HideLabels ? " hidden" : "")}{(parts.Count > 0 ? $" parts={record.Parts}" : "")}", Outcome = "ok",
        }, CancellationToken.None);
        return new Outcome(record, files, 201, null, null);
    }

    private static int Compare(SampleRow a, SampleRow b)
    {
        int c = a.TimeNs.CompareTo(b.TimeNs);
        if (c == 0) c = string.CompareOrdinal(a.Rig, b.Rig);
        return c != 0 ? c : string.CompareOrdinal(a.Stream, b.Stream);
    }

    private static DateTimeOffset? ParseTime(string? text, DateTimeOffset now, string field, Dictionary<string, string[]> errors)
    {
        var parsed = Series.SeriesRequest.ParseInstant(text, now);
        if (parsed is null) errors[field] = [$"'{text}' is not a time (RFC 3339, or now-1h)"];
        return parsed;
    }

    // Equal selections, whatever the order the sensors (or parts) were named in, share an id. The parts line is added
    // only when there are parts, so selections frozen before parts existed keep their ids.
    private static string SelectionKey(string site, List<string> rigs, DateTimeOffset from, DateTimeOffset to, HashSet<string>? sensors, IReadOnlyList<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{site}\n{string.Join(',', rigs)}\n{UtcTimestamp.ToNanoseconds(from)}\n{UtcTimestamp.ToNanoseconds(to)}\n{string.Join(',', (IEnumerable<string>?)sensors?.Order(StringComparer.Ordinal) ?? [])}"
            + (parts.Count > 0 ? $"\nparts={string.Join(',', parts)}" : ""))));
}
