/**
 * Helpers shared by allocator families and not part of the module's API (this package is not exported).
 */
package io.github.alloclab.internal;
