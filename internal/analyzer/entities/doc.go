// Package entities finds the people, organisations and places named in the
// posts of an alerting window, so an alert can say who or what a backlash is
// about ("Uber", "Tim Cook", "London").
//
// It wraps prose v2's named-entity recogniser with one model loaded once and
// shared. At several milliseconds per post it is far too slow for every post
// in the stream; call it only on the posts behind an alert. It is not a
// sentiment scorer (see package internal/analyzer/sentiment) and does no entity
// linking: "Apple" the company and "apple" the fruit are told apart only as
// well as prose's model manages.
package entities
