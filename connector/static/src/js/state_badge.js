// Copyright 2026 Connector contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// widget="state_badge": a selection field shown as a coloured Bootstrap label, so
// the state of a job or checkpoint reads at a glance in a list. The colour of each
// value comes from the node's options, e.g.
//     <field name="state" widget="state_badge"
//            options="{'classes': {'failed': 'danger', 'done': 'success'}}"/>
// (a value without a class is grey).
odoo.define('connector.state_badge', function (require) {
"use strict";

var AbstractField = require('web.AbstractField');
var fieldRegistry = require('web.field_registry');

var StateBadge = AbstractField.extend({
    className: 'o_connector_state_badge',
    supportedFieldTypes: ['selection'],

    _render: function () {
        var value = this.value;
        var item = _.find(this.field.selection, function (option) {
            return option[0] === value;
        });
        var classes = (this.nodeOptions && this.nodeOptions.classes) || {};
        this.$el.empty();
        if (value) {
            $('<span/>', {
                'class': 'label label-' + (classes[value] || 'default') +
                    ' o_connector_state_' + value,
                text: item ? item[1] : value,
            }).appendTo(this.$el);
        }
    },
});

fieldRegistry.add('state_badge', StateBadge);

return StateBadge;
});
