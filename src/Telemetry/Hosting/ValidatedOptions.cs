using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fieldlab.Telemetry.Hosting;

/// <summary>Binds an options class from a configuration section and validates it when the host starts, so that a
/// service with bad configuration stops at once with every offending key named (section path included).</summary>
public static class ValidatedOptions
{
    /// <summary>Registers <typeparamref name="T"/> bound from <paramref name="configuration"/>'s section
    /// <paramref name="section"/>; unknown keys are errors too.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatableOptions
    {
        services.AddSingleton<IValidateOptions<T>>(new Validator<T>(section));
        return services.AddOptions<T>()
            .Bind(configuration.GetSection(section), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
    }

    private sealed class Validator<T>(string section) : IValidateOptions<T> where T : class, IValidatableOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Validate().Select(p => $"{section}:{p}").ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
