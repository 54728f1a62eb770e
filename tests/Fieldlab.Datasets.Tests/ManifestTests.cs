using System.Security.Cryptography;
using System.Text.Json;
using Fieldlab.Testing;

namespace Fieldlab.Datasets.Tests;

public sealed class ManifestTests
{
    [Fact]
    public async Task Manifest_is_a_v2_data_package_listing_every_file_with_its_sha256_and_size()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        var files = await TestData.WriteAsync(dir.Path, TestData.Rows());
        using var doc = JsonDocument.Parse(DataPackageManifest.Render(TestData.Description(), TestData.Spec, files));
        var root = doc.RootElement;

        Assert.Equal("https://datapackage.org/profiles/2.0/datapackage.json", root.GetProperty("$schema").GetString());
        Assert.Equal("pump-lab-2026", root.GetProperty("name").GetString());
        Assert.Equal("CC-BY-4.0", root.GetProperty("licenses")[0].GetProperty("name").GetString());
        Assert.Equal("2026-11-22T06:06:23.000000Z", root.GetProperty("created").GetString());
        Assert.Equal("j.doe", root.GetProperty("contributors")[0].GetProperty("title").GetString());
        var fieldlab = root.GetProperty("fieldlab");
        Assert.Equal("2026-11-17T08:00:00.000000Z", fieldlab.GetProperty("from").GetString());
        Assert.Equal("2026-11-17T09:00:00.000000Z", fieldlab.GetProperty("to").GetString());
        var pump1 = fieldlab.GetProperty("rigs")[0];
        Assert.Equal("pump", pump1.GetProperty("kind").GetString());
        Assert.Equal(2.5, pump1.GetProperty("streams")[1].GetProperty("rateHz").GetDouble());

        var resources = root.GetProperty("resources").EnumerateArray().ToList();
        var onDisk = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, resources.Select(r => r.GetProperty("path").GetString()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(resources.Count, resources.Select(r => r.GetProperty("name").GetString()).Distinct().Count());
        foreach (var resource in resources)
        {
            var path = dir.File(resource.GetProperty("path").GetString()!);
            Assert.Equal("https://datapackage.org/profiles/2.0/dataresource.json", resource.GetProperty("$schema").GetString());
            Assert.Equal("table", resource.GetProperty("type").GetString());
            Assert.Matches("^[a-z0-9._-]+$", resource.GetProperty("name").GetString());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), resource.GetProperty("hash").GetString());
            Assert.Equal(new FileInfo(path).Length, resource.GetProperty("bytes").GetInt64());
            Assert.Contains(resource.GetProperty("format").GetString(), new[] { "csv", "parquet" });
            Assert.True(resource.GetProperty("mediatype").GetString()!.Length > 0);
            var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal("time", fields[0].GetProperty("name").GetString());
            Assert.Equal("datetime", fields[0].GetProperty("type").GetString());
            foreach (var field in fields)
            {
                Assert.True(field.TryGetProperty("name", out _) && field.TryGetProperty("type", out _) && field.TryGetProperty("description", out _));
                if (field.TryGetProperty("unit", out var unit)) Assert.Contains($"(unit: {unit.GetString()})", field.GetProperty("description").GetString());
            }
        }
        var samples = resources.Single(r => r.GetProperty("path").GetString() == "samples.csv");
        var flow = samples.GetProperty("schema").GetProperty("fields")[3];
        Assert.Equal("flow", flow.GetProperty("name").GetString());
        Assert.Equal("number", flow.GetProperty("type").GetString());
        Assert.Equal("m³/h", flow.GetProperty("unit").GetString());
        Assert.Equal("Volume flow (unit: m³/h)", flow.GetProperty("description").GetString());
        var replay = resources.Single(r => r.GetProperty("path").GetString() == "replay-pump-1-vibration.csv");
        Assert.Equal("#", replay.GetProperty("dialect").GetProperty("commentChar").GetString());
        Assert.Equal(["time", "vib_rms"], replay.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Manifest_json_is_deterministic_with_a_stable_key_order()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        var files = await TestData.WriteAsync(dir.Path, TestData.Rows(5));
        var first = DataPackageManifest.Render(TestData.Description(), TestData.Spec, files);
        var second = DataPackageManifest.Render(TestData.Description() with { }, TestData.Spec with { }, files.ToList());
        Assert.Equal(first, second);
        Assert.DoesNotContain("\r", first);
        Assert.EndsWith("}\n", first);
        using var doc = JsonDocument.Parse(first);
        Assert.Equal(["$schema", "name", "title", "description", "version", "created", "licenses", "contributors", "keywords", "fieldlab", "resources"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "$schema", "type", "path", "format", "mediatype", "encoding", "bytes", "hash", "description", "dialect", "schema", "fieldlab"],
            doc.RootElement.GetProperty("resources")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Readme_names_every_file_with_its_hash_and_the_rigs()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        var files = await TestData.WriteAsync(dir.Path, TestData.Rows(5));
        var readme = DatasetReadme.Render(TestData.Description(), files);
        Assert.StartsWith("# Pump lab, week 47\n", readme);
        foreach (var file in files) Assert.Contains($"| `{file.Name}` |", readme);
        foreach (var file in files) Assert.Contains(file.Sha256, readme);
        Assert.Contains("Stream `vibration`, sampled at 2.5 Hz", readme);
        Assert.Contains("CC-BY-4.0", readme);
    }
}
