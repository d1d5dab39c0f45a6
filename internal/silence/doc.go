// Package silence is the model of a silence: a topic's notifications muted
// for a while, as `backlash silence` makes them. Incidents are still
// recorded while a silence holds.
//
// It holds the type and its rule (Active) only; alerts makes and applies
// silences, store keeps them.
package silence
