using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Triage;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// The early consultation system: risk detection on every client and family message (through the session event
/// sink), alerts with escalation, screening instruments, Kato 2020 records, session-history analytics, the triage
/// queue, and research biomarker records. Configuration: "EarlyConsultation" (<see cref="EarlyConsultationOptions"/>),
/// "EarlyConsultation:Instruments" (<see cref="InstrumentOptions"/>), "Triage" (<see cref="TriageWeights"/>).
/// </summary>
public static class EarlyConsultationExtensions
{
    public const string InstrumentsSection = EarlyConsultationOptions.SectionName + ":Instruments";
    public const string TriageSection = "Triage";

    public static WebApplicationBuilder AddEarlyConsultation(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EarlyConsultationOptions>().BindConfiguration(EarlyConsultationOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EarlyConsultationOptions>>(new ProblemListValidator<EarlyConsultationOptions>(o => o.Validate()));
        services.AddOptions<TriageWeights>().BindConfiguration(TriageSection).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TriageWeights>>(new ProblemListValidator<TriageWeights>(w => w.Validate()));
        services.AddOptions<InstrumentOptions>().BindConfiguration(InstrumentsSection).PostConfigure(o =>
        {
            if (!string.IsNullOrWhiteSpace(o.OverrideDirectory))
            {
                o.OverrideDirectory = Path.GetFullPath(o.OverrideDirectory, builder.Environment.ContentRootPath);
            }
        });
        services.AddSingleton(sp => InstrumentCatalog.Load(sp.GetRequiredService<IOptions<InstrumentOptions>>().Value));
        services.AddSingleton(_ => RiskDetector.LoadShipped());

        services.AddSingleton<IEarlyConsultationStore, EarlyConsultationStore>();
        services.AddSingleton<EarlyConsultationAccess>();
        services.AddSingleton<ISessionEventSink, EarlyConsultationSessionSink>();

        // An instance, as the session filter: by type, SignalR would wrap every hub call in a state machine for it.
        services.Configure<HubOptions>(o => o.AddFilter(new EarlyConsultationHubFilter()));

        // After the grain host (registered by AddStorage): these call grains when they start.
        services.AddHostedService<EarlyConsultationSubscription>();
        services.AddHostedService<EarlyConsultationStartup>();
        return builder;
    }

    public static WebApplication MapEarlyConsultation(this WebApplication app)
    {
        app.MapAlertEndpoints();
        app.MapTriageEndpoints();
        app.MapAssessmentEndpoints();
        app.MapClientRecordEndpoints();
        return app;
    }

    /// <summary>Turns an options type's own list of problems into a start-up failure that names them.</summary>
    private sealed class ProblemListValidator<TOptions>(Func<TOptions, IReadOnlyList<string>> check) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var problems = check(options);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
