//! WebAssembly bindings over routec-core (see issue "The same core in WebAssembly").
