using System.Text.Json.Nodes;
using Fieldlab.Datasets.Assignments;

namespace Fieldlab.Api.Assignments;

/// <summary>The scores of a submission as stored (<c>Submission.Metrics</c>) and shown: <c>{"public": {...}, "private": {...}}</c>,
/// each part with its keys, its figures and, for classification, its confusion matrix; a figure that is not a number is null.</summary>
public static class SubmissionMetrics
{
    /// <summary>The JSON of both parts.</summary>
    public static string ToJson(SubmissionScore score) => new JsonObject { ["public"] = Part(score.Public), ["private"] = Part(score.Private) }.ToJsonString();

    /// <summary>The stored metrics as shown to a caller: without the private part while it is hidden from them.</summary>
    public static JsonNode? Shown(string json, bool withPrivate)
    {
        var node = JsonNode.Parse(json);
        if (!withPrivate && node is JsonObject o) o.Remove("private");
        return node;
    }

    private static JsonObject Part(PartScore part)
    {
        var o = new JsonObject { ["keys"] = part.Keys, ["metric"] = Number(part.Metric) };
        foreach (var (name, value) in part.Figures) o[name] = Number(value);
        if (part.Confusion is { } confusion)
        {
            var matrix = new JsonObject();
            foreach (var (actual, row) in confusion)
            {
                var cells = new JsonObject();
                foreach (var (predicted, n) in row) cells[predicted] = n;
                matrix[actual] = cells;
            }
            o["confusion"] = matrix;
        }
        return o;
    }

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
