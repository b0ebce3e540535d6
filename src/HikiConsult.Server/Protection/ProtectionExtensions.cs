using HikiConsult.Grains.Protection;
using HikiConsult.Server.Storage;

namespace HikiConsult.Server.Protection;

public static class ProtectionExtensions
{
    /// <summary>
    /// Encryption at rest: the key ring in <see cref="KeysSettings.Directory"/> and the <see cref="IClinicalDataProtector"/>
    /// the stores call. A small AES-GCM ring rather than ASP.NET Core Data Protection: its managed encryptor on Linux is
    /// CBC + HMAC, and its XML key files' modes and rolling are not ours to state; this one is a page to audit.
    /// </summary>
    public static WebApplicationBuilder AddDataProtectionAtRest(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeysOptions.SectionName).Get<KeysOptions>() ?? new KeysOptions();
        builder.Services.AddSingleton(sp => KeysSettings.Resolve(options, sp.GetRequiredService<StorageSettings>(), builder.Environment.ContentRootPath));
        builder.Services.AddSingleton(sp =>
        {
            var keys = sp.GetRequiredService<KeysSettings>();
            return new DataKeyRing(keys.Directory, sp.GetRequiredService<TimeProvider>(), keys.RotationInterval);
        });
        builder.Services.AddSingleton<IClinicalDataProtector, AesGcmClinicalDataProtector>();
        return builder;
    }
}
