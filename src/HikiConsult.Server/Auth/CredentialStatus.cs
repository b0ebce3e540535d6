using HikiConsult.Server.Devices;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Checked on every authenticated request and hub connection: a token of a revoked device or a disabled
/// account stops working at once, whatever its expiry says.
/// </summary>
public sealed class CredentialStatus(UserStore users, DeviceStore devices)
{
    public Task<bool> IsActiveAsync(Caller caller, CancellationToken cancellationToken = default) =>
        caller.IsDevice ? devices.IsActiveAsync(caller.Id, cancellationToken) : users.IsActiveAsync(caller.Id, cancellationToken);
}
