using Orleans;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using Microsoft.AspNetCore.Authorization;

namespace HikiConsult.Server.Hubs;

/// <summary><c>/hubs/avatar</c>: paired devices (avatar app, robot, family), each limited to its own client's sessions.</summary>
[Authorize(Policy = AuthPolicies.Device)]
public sealed class AvatarHub(
    IGrainFactory grains,
    ClientAccess access,
    SessionSubscriptions subscriptions,
    ConnectionRegistry connections,
    AuditLog audit) : SessionHub(grains, access, subscriptions, connections, audit);
