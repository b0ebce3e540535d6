namespace HikiConsult.Testing;

/// <summary>A signed-in staff member.</summary>
public sealed record Staff(string Id, string Username, string Role, string Token);
