using System.Reflection;

namespace HikiConsult.Actors.Hosting;

/// <summary>Where the host finds grain classes. Empty by default: register with AddGrainsFromAssemblyOf&lt;T&gt;().</summary>
public sealed class GrainTypeOptions
{
    public List<Assembly> Assemblies { get; } = [];

    public List<Type> Classes { get; } = [];
}
