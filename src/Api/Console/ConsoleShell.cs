using System.Net;
using System.Text;

namespace Fieldlab.Api.Console;

/// <summary>The one HTML document every console page is: no data and no inline script, only which page to show, the
/// language to start in and the stylesheet and module to load. The page's data come from the API, each call checked by
/// the rights table.</summary>
public static class ConsoleShell
{
    /// <summary>Languages the console speaks (strings in <c>console/i18n/{lang}.json</c>).</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "nl"];

    /// <summary>The page <paramref name="page"/> with the given route values, answered with <paramref name="status"/>.</summary>
    public static IResult Page(HttpContext context, string page, int status = 200, IReadOnlyDictionary<string, string?>? values = null) =>
        Results.Content(Render(page, LanguageOf(context.Request), values), "text/html; charset=utf-8", Encoding.UTF8, status);

    /// <summary>Writes the page directly (for the rights gate, which runs before any endpoint).</summary>
    public static async Task WriteAsync(HttpContext context, string page, int status, IReadOnlyDictionary<string, string?>? values = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Render(page, LanguageOf(context.Request), values), context.RequestAborted);
    }

    /// <summary>The first language of <c>Accept-Language</c> the console speaks (English otherwise); the page may switch.</summary>
    public static string LanguageOf(HttpRequest request)
    {
        foreach (var part in request.Headers.AcceptLanguage.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.Split(';')[0].Split('-')[0].ToLowerInvariant();
            if (Languages.Contains(tag)) return tag;
        }
        return "en";
    }

    /// <summary>The HTML text.</summary>
    public static string Render(string page, string language, IReadOnlyDictionary<string, string?>? values)
    {
        var data = new StringBuilder();
        data.Append($" data-page=\"{Encode(page)}\"");
        foreach (var (key, value) in values ?? new Dictionary<string, string?>())
        {
            if (value is not null) data.Append($" data-{Encode(key)}=\"{Encode(value)}\"");
        }
        return $"""
            <!DOCTYPE html>
            <html lang="{language}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Fieldlab</title>
            <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/console/assets/vendor/uplot/uPlot.min.css">
            <link rel="stylesheet" href="/console/assets/console.css">
            <script type="module" src="/console/assets/app.js"></script>
            </head>
            <body{data}>
            <a class="skip" href="#main">Skip to content</a>
            <header id="top"></header>
            <main id="main" tabindex="-1"><p class="loading">Fieldlab…</p></main>
            <footer id="bottom"></footer>
            </body>
            </html>
            """;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
