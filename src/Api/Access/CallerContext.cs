using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;

namespace Fieldlab.Api.Access;

/// <summary>The <see cref="Caller"/> of the current request, loaded once per request from the store (never cached
/// across requests, so that a changed role or an erased account counts at once).</summary>
public static class CallerContext
{
    private static readonly object Key = new();

    /// <summary>The caller, or null when the request is anonymous or its account is gone.</summary>
    public static async Task<Caller?> GetAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached)) return (Caller?)cached;
        Caller? caller = null;
        if (context.User.FindFirst(FieldlabClaims.UserId)?.Value is { } userId)
        {
            var db = context.RequestServices.GetRequiredService<MetadataDb>();
            caller = await CallerQuery.LoadAsync(db, userId, context.RequestAborted);
        }
        context.Items[Key] = caller;
        return caller;
    }

    /// <summary>The caller of a request that passed the <see cref="RightsGate"/> as authenticated.</summary>
    public static async Task<Caller> RequireAsync(HttpContext context) =>
        await GetAsync(context) ?? throw new InvalidOperationException("The endpoint was reached without a caller; its right lets anonymous callers in.");

    /// <summary>True when the request authenticated with the console's cookie (state changes then need an antiforgery token).</summary>
    public static bool UsesCookie(HttpContext context) => context.User.FindFirst(FieldlabClaims.Method)?.Value == "cookie";
}
