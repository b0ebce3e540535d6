namespace HikiConsult.Actors;

/// <summary>Anything that has a grain identity: grains, grain references and observer references.</summary>
public interface IAddressable;

/// <summary>Marker for grain interfaces. Use one of the keyed variants.</summary>
public interface IGrain : IAddressable;

/// <summary>A grain addressed by a string key.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>A grain addressed by a <see cref="Guid"/> key.</summary>
public interface IGrainWithGuidKey : IGrain;

/// <summary>A grain addressed by a 64-bit integer key.</summary>
public interface IGrainWithIntegerKey : IGrain;

/// <summary>Marker for observer interfaces: objects outside grains that grains call back.</summary>
public interface IGrainObserver : IAddressable;
