// Package incident is the alert engine's model of an alert episode: the
// Incident itself, the Condition of each rule that can open or escalate it,
// and the AlertRow recorded for each notification sent, printed or
// silenced.
//
// Like package post it holds types only: alerts decides how incidents
// change, store keeps them in ClickHouse (and internal/alerts/alertstest in memory),
// dashboards shows them. It imports nothing of backlash's.
package incident
