using System.Collections.Concurrent;
using HikiConsult.Actors.Configuration;
using HikiConsult.Actors.Hosting;
using Microsoft.Extensions.Options;

namespace HikiConsult.Actors.Internal;

/// <summary>Maps grain interfaces to the grain classes registered with the host.</summary>
internal sealed class GrainTypeManager
{
    private readonly ConcurrentDictionary<Type, GrainClassInfo> _byInterface = new();

    /// <summary>Interfaces that several classes implement (a shared base interface): no reference can use them.</summary>
    private readonly Dictionary<Type, string> _ambiguous = new();

    public GrainTypeManager(IOptions<GrainTypeOptions> types, IOptions<GrainCollectionOptions> collection)
    {
        var classes = types.Value.Assemblies
            .SelectMany(a => a.GetTypes())
            .Concat(types.Value.Classes)
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(Grain).IsAssignableFrom(t))
            .Distinct();
        var byType = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var grainClass in classes)
        {
            var info = GrainClassInfo.Create(grainClass, collection.Value);
            if (!byType.TryAdd(info.GrainType, grainClass))
            {
                throw new InvalidOperationException(
                    $"Grain classes {byType[info.GrainType].FullName} and {grainClass.FullName} share the grain type \"{info.GrainType}\"; set [GrainType] on one.");
            }

            foreach (var grainInterface in grainClass.GetInterfaces().Where(IsGrainInterface))
            {
                if (_ambiguous.ContainsKey(grainInterface))
                {
                    continue;
                }

                if (_byInterface.TryRemove(grainInterface, out var other))
                {
                    _ambiguous[grainInterface] =
                        $"{grainInterface.Name} is implemented by both {other.ClassType.FullName} and {grainClass.FullName}; get the grain through an interface that only one grain class implements.";
                    continue;
                }

                _byInterface[grainInterface] = info;
            }
        }
    }

    public IEnumerable<GrainClassInfo> Classes => _byInterface.Values.Distinct();

    /// <summary>
    /// The class info that references to <paramref name="grainInterface"/> use. When no registered class implements
    /// it (a test probe stands in for a grain from elsewhere), one that only probes can serve is added.
    /// </summary>
    public GrainClassInfo GetOrAddProbeClass(Type grainInterface)
    {
        if (!grainInterface.IsInterface || !IsGrainInterface(grainInterface))
        {
            throw new ArgumentException($"{grainInterface.Name} is not a grain interface.", nameof(grainInterface));
        }

        if (_ambiguous.TryGetValue(grainInterface, out var ambiguity))
        {
            throw new ArgumentException(ambiguity, nameof(grainInterface));
        }

        return _byInterface.GetOrAdd(grainInterface, static i => GrainClassInfo.ForProbe(i));
    }

    public GrainClassInfo GetClassFor(Type grainInterface)
    {
        if (_byInterface.TryGetValue(grainInterface, out var info))
        {
            return info;
        }

        throw new ArgumentException(_ambiguous.TryGetValue(grainInterface, out var ambiguity)
            ? ambiguity
            : $"No grain class implements {grainInterface.Name}. Register its assembly with AddGrainsFromAssemblyOf<T>().");
    }

    private static bool IsGrainInterface(Type type) =>
        typeof(IGrain).IsAssignableFrom(type)
        && type != typeof(IGrain) && type != typeof(IGrainWithStringKey) && type != typeof(IGrainWithGuidKey) && type != typeof(IGrainWithIntegerKey);
}
