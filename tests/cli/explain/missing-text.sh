vocal explain
